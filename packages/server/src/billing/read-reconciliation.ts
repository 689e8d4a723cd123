import { type BilledLine, type BillingProvider, DAY_MS, type DayReconciliationAnswer, differencePct, isSettled, type ModelReconciliationAnswer, nanosToUsd, type ProviderReconciliationAnswer, reconcileModels, type ReconciliationAnswer, type TrackedModel } from '@llmlab/core';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { dateOf } from './billing-range.js';
import type { DayRange } from './read-provider-bill.js';

type Key = `${BillingProvider}:${number}`;
const keyOf = (provider: string, day: number) => `${provider}:${day}` as Key;
const usd = nanosToUsd;

/** What LLMLab tracked per UTC day, provider and model, summed over every project of the org, from the hourly rollups. */
async function readTracked(ctx: AppContext, orgId: string, providers: BillingProvider[], range: DayRange): Promise<Map<Key, TrackedModel[]>> {
  const day = sql<number>`${sql.ref('usage_hourly.hour')} / ${sql.lit(DAY_MS)}`;
  const rows = await ctx.db.kysely
    .selectFrom('usage_hourly')
    .innerJoin('projects', 'projects.id', 'usage_hourly.project_id')
    .where('projects.org_id', '=', orgId)
    .where('usage_hourly.provider', 'in', providers)
    .where('usage_hourly.hour', '>=', range.from)
    .where('usage_hourly.hour', '<', range.to)
    .select((eb) => [day.as('day'), 'usage_hourly.provider', 'usage_hourly.model', eb.fn.sum<number>('usage_hourly.cost_nanos').as('cost'), eb.fn.sum<number>('usage_hourly.unpriced_calls').as('unpriced')])
    .groupBy([day, 'usage_hourly.provider', 'usage_hourly.model'])
    .execute();
  const out = new Map<Key, TrackedModel[]>();
  for (const r of rows) {
    const key = keyOf(r.provider, Number(r.day) * DAY_MS);
    const list = out.get(key) ?? [];
    list.push({ model: r.model, cost_nanos: Number(r.cost ?? 0), unpriced_calls: Number(r.unpriced ?? 0) });
    out.set(key, list);
  }
  return out;
}

/** The stored bills: the days read, and their lines. */
async function readBilled(ctx: AppContext, orgId: string, providers: BillingProvider[], range: DayRange): Promise<Map<Key, BilledLine[]>> {
  const days = await ctx.db.kysely.selectFrom('billed_days').select(['provider', 'day']).where('org_id', '=', orgId).where('provider', 'in', providers).where('day', '>=', range.from).where('day', '<', range.to).execute();
  const out = new Map<Key, BilledLine[]>(days.map((d) => [keyOf(d.provider, Number(d.day)), []]));
  const lines = await ctx.db.kysely
    .selectFrom('billed_lines')
    .select(['provider', 'day', 'line_item', 'model', 'amount_nanos'])
    .where('org_id', '=', orgId)
    .where('provider', 'in', providers)
    .where('day', '>=', range.from)
    .where('day', '<', range.to)
    .execute();
  for (const l of lines) out.get(keyOf(l.provider, Number(l.day)))?.push({ line_item: l.line_item, model: l.model, amount_nanos: Number(l.amount_nanos) });
  return out;
}

function compared(trackedNanos: number, billedNanos: number | null) {
  const difference = billedNanos === null ? null : billedNanos - trackedNanos;
  return {
    tracked: usd(trackedNanos),
    tracked_nanos: trackedNanos,
    billed: billedNanos === null ? null : usd(billedNanos),
    billed_nanos: billedNanos,
    difference: difference === null ? null : usd(difference),
    difference_nanos: difference,
    difference_pct: difference === null || billedNanos === null ? null : differencePct(difference, billedNanos),
  };
}

/**
 * Tracked against billed per UTC day and provider, model by model, for the org's connected
 * `providers`, from stored data only (the providers are not called). A day whose bill was not
 * read shows billed null; the provider totals cover only days whose bill was read. Newest first.
 */
export async function readReconciliation(ctx: AppContext, orgId: string, providers: BillingProvider[], range: DayRange): Promise<ReconciliationAnswer> {
  const answer: ReconciliationAnswer = { from: dateOf(range.from), to: dateOf(range.to - DAY_MS), providers: [], days: [] };
  if (providers.length === 0) return answer;
  const [tracked, billed] = await Promise.all([readTracked(ctx, orgId, providers, range), readBilled(ctx, orgId, providers, range)]);
  const now = ctx.now();
  for (const provider of providers) {
    const total = { tracked: 0, billed: 0, unpriced: 0, days: 0 };
    for (let day = range.to - DAY_MS; day >= range.from; day -= DAY_MS) {
      const t = tracked.get(keyOf(provider, day)) ?? [];
      const b = billed.get(keyOf(provider, day));
      const models = reconcileModels(provider, t, b ?? []);
      const trackedNanos = t.reduce((a, m) => a + m.cost_nanos, 0);
      const unpriced = t.reduce((a, m) => a + m.unpriced_calls, 0);
      const billedNanos = b ? b.reduce((a, l) => a + l.amount_nanos, 0) : null;
      if (billedNanos !== null) {
        total.tracked += trackedNanos;
        total.billed += billedNanos;
        total.unpriced += unpriced;
        total.days++;
      }
      answer.days.push({
        date: dateOf(day),
        provider,
        ...compared(trackedNanos, billedNanos),
        settled: isSettled(day, now),
        unpriced_calls: unpriced,
        models: models.map(
          (m): ModelReconciliationAnswer => ({
            model: m.model,
            line_item: m.line_item,
            ...compared(m.tracked_nanos, b ? m.billed_nanos : null),
            unpriced_calls: m.unpriced_calls,
            line_items: m.line_items.map((l) => ({ line_item: l.line_item, billed: usd(l.billed_nanos), billed_nanos: l.billed_nanos })),
          }),
        ),
      } satisfies DayReconciliationAnswer);
    }
    // Net over the range: a call near midnight may fall on one day here and the next on the bill.
    const untracked = Math.max(0, total.billed - total.tracked);
    answer.providers.push({
      provider,
      days_billed: total.days,
      ...compared(total.tracked, total.days ? total.billed : null),
      untracked: usd(untracked),
      untracked_nanos: untracked,
      unpriced_calls: total.unpriced,
    } satisfies ProviderReconciliationAnswer);
  }
  answer.days.sort((a, b) => b.date.localeCompare(a.date) || a.provider.localeCompare(b.provider));
  return answer;
}
