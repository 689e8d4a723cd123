import { canonicalProvider, nanosToUsd, priceUsage, storedServiceTier, USAGE_MISSING } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import type { EventRow } from '../db/schema.js';
import { applyRollupDeltas, rollupDeltas } from '../db/rollups.js';
import { eventsQuery } from '../events/list-events.js';
import { loadOverrides } from './load-overrides.js';

const PAGE = 1000;

export interface RepriceInput {
  /** Epoch ms or an ISO date-time. */
  from?: number | string;
  to?: number | string;
  /** A provider or one of its aliases. */
  provider?: string;
  model?: string;
}

const ms = (v: number | string | undefined) => (v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(v));

/**
 * Prices the project's events again with today's price book (overrides included) and moves the
 * rollups by the difference, page by page, each page in one transaction. Reports what changed.
 * Events retention removed cannot be priced again: their hours keep the prices they had.
 * The last page's transaction also writes the audit entry with the whole report, when anything
 * changed: a run stopped halfway leaves the pages it committed without one.
 */
export async function reprice({ ctx, input }: { ctx: TenantContext; input: RepriceInput }) {
  const filters = { from: ms(input.from), to: ms(input.to), provider: input.provider ? (canonicalProvider(input.provider) ?? input.provider) : undefined, model: input.model };
  const overrides = await loadOverrides(ctx.db, ctx.actor.orgId);
  const report: Report = { examined: 0, changed: 0, newly_priced: 0, now_unpriced: 0, before: 0, after: 0 };
  const byModel = new Map<string, ModelReport>();
  let after: { ts: number; id: string } | null = null;
  for (;;) {
    // A cache hit cost nothing whatever the prices; what it saved was priced at its own time.
    let q = eventsQuery(ctx, filters).where('cache_hit', '=', 0);
    if (after) {
      const a = after;
      q = q.where((eb) => eb.or([eb('ts', '>', a.ts), eb.and([eb('ts', '=', a.ts), eb('id', '>', a.id)])]));
    }
    const rows = await q.orderBy('ts').orderBy('id').limit(PAGE).execute();
    const lastPage = rows.length < PAGE;
    const changed: { old: EventRow; next: EventRow }[] = [];
    for (const row of rows) {
      report.examined++;
      const p = priceUsage({ provider: row.provider, model: row.model, ts: row.ts, usage: row, overrides, usageMissing: row.price_source === USAGE_MISSING, failed: row.status === 'error', serviceTier: storedServiceTier(row.service_tier) });
      if (p.cost_nanos === row.cost_nanos && p.price_source === row.price_source) continue;
      changed.push({ old: row, next: { ...row, cost_nanos: p.cost_nanos, price_source: p.price_source } });
    }
    tally(report, byModel, changed);
    const audited = lastPage && report.changed > 0;
    if (changed.length || audited) {
      await ctx.db.transaction(async (trx) => {
        for (const { next } of changed) {
          await trx.updateTable('events').set({ cost_nanos: next.cost_nanos, price_source: next.price_source }).where('id', '=', next.id).where('project_id', '=', ctx.actor.projectId).execute();
        }
        if (changed.length) await applyRollupDeltas(trx, rollupDeltas(changed.map((c) => c.next), changed.map((c) => c.old)));
        if (audited) await audit(trx, ctx, { action: 'prices.repriced', targetType: 'events', targetId: null, projectId: ctx.actor.projectId, after: { ...presentCounts(report), filters: definedOnly(input) } });
      });
    }
    if (lastPage) break;
    const last = rows[rows.length - 1];
    after = { ts: last.ts, id: last.id };
  }
  return {
    ...presentCounts(report),
    by_model: [...byModel.values()].map((m) => ({ provider: m.provider, model: m.model, events: m.events, cost_before: nanosToUsd(m.before), cost_after: nanosToUsd(m.after) })),
  };
}

interface Report { examined: number; changed: number; newly_priced: number; now_unpriced: number; before: number; after: number }
interface ModelReport { provider: string; model: string; events: number; before: number; after: number }

/** Adds a page's changed events to the report. */
function tally(report: Report, byModel: Map<string, ModelReport>, changed: { old: EventRow; next: EventRow }[]): void {
  for (const { old, next } of changed) {
    report.changed++;
    if (old.cost_nanos === null && next.cost_nanos !== null) report.newly_priced++;
    if (old.cost_nanos !== null && next.cost_nanos === null) report.now_unpriced++;
    report.before += old.cost_nanos ?? 0;
    report.after += next.cost_nanos ?? 0;
    const key = `${old.provider}/${old.model}`;
    const m = byModel.get(key) ?? { provider: old.provider, model: old.model, events: 0, before: 0, after: 0 };
    m.events++;
    m.before += old.cost_nanos ?? 0;
    m.after += next.cost_nanos ?? 0;
    byModel.set(key, m);
  }
}

/** The answer's totals: also the audit entry's after. */
function presentCounts(report: Report) {
  return {
    examined: report.examined,
    changed: report.changed,
    newly_priced: report.newly_priced,
    now_unpriced: report.now_unpriced,
    cost_before: nanosToUsd(report.before),
    cost_after: nanosToUsd(report.after),
  };
}

/** The filters the caller gave, without the ones left out. */
function definedOnly(input: RepriceInput): RepriceInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
