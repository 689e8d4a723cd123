import { addDays, HOUR_MS, localDate, localDatesBetween, nanosToUsd, startOfDay, startOfMonth } from '@llmlab/core';
import { type BudgetStatus, primaryBudgetStatus } from '../budgets/budget-status.js';
import type { TenantContext } from '../context.js';
import { rollupQuery, spendBetween, usageSums } from './read-rollups.js';

/**
 * The spend summary of the original LLMLab, answered from hourly rollups: the last `days` local
 * days (today included), this month and today in `tz`, breakdowns, and the budget line.
 */
export async function getSummary({ ctx, input }: { ctx: TenantContext; input: { days: number; tz: string } }) {
  const { tz, days } = input;
  const now = ctx.now();
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const from = addDays(now, -(days - 1), tz);
  const today = startOfDay(now, tz);
  const month = startOfMonth(now, tz);

  // Grouping by hour follows the rollup's key order and costs little, so the usage totals ride
  // on it; grouping by model and feature sorts every row in range, so it carries cost alone.
  const [byHour, byGroup, byTier, monthBeforeRange, budget] = await Promise.all([
    rollupQuery(ctx, from, end)
      .select((eb) => ['hour', ...usageSums(eb), eb.fn.sum<number>('saved_nanos').as('saved'), eb.fn.sum<number>('cache_hits').as('hits')])
      .groupBy('hour')
      .execute(),
    rollupQuery(ctx, from, end)
      .select((eb) => ['provider', 'model', 'feature', eb.fn.sum<number>('cost_nanos').as('cost')])
      .groupBy(['provider', 'model', 'feature'])
      .execute(),
    rollupQuery(ctx, from, end)
      .select((eb) => ['service_tier', eb.fn.sum<number>('cost_nanos').as('cost'), eb.fn.sum<number>('calls').as('calls')])
      .groupBy('service_tier')
      .execute(),
    // The month's days before the range, when the range does not cover the whole month.
    month < from ? spendBetween(ctx, month, from) : Promise.resolve(0),
    primaryBudgetStatus(ctx, now),
  ]);

  const daily = new Map(localDatesBetween(from, now, tz).map((d) => [d, 0]));
  let total = 0;
  let todayNanos = 0;
  let thisMonth = monthBeforeRange;
  const tokens = { input: 0, output: 0, cached_input: 0, cache_write: 0, reasoning: 0 };
  let calls = 0;
  let unpriced = 0;
  let saved = 0;
  let hits = 0;
  for (const h of byHour) {
    const cost = Number(h.cost);
    total += cost;
    saved += Number(h.saved);
    hits += Number(h.hits);
    calls += Number(h.calls);
    unpriced += Number(h.unpriced);
    tokens.input += Number(h.input);
    tokens.output += Number(h.output);
    tokens.cached_input += Number(h.cached);
    tokens.cache_write += Number(h.cache_write);
    tokens.reasoning += Number(h.reasoning);
    if (h.hour >= today) todayNanos += cost;
    if (h.hour >= month) thisMonth += cost;
    const d = localDate(h.hour, tz);
    if (daily.has(d)) daily.set(d, (daily.get(d) ?? 0) + cost);
  }
  const byModelNanos = new Map<string, number>();
  const byProviderNanos = new Map<string, number>();
  const byFeatureNanos = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const r of byGroup) {
    add(byModelNanos, `${r.provider}/${r.model}`, Number(r.cost));
    add(byProviderNanos, r.provider, Number(r.cost));
    add(byFeatureNanos, r.feature === '' ? '(none)' : r.feature, Number(r.cost));
  }
  return {
    total_spend: nanosToUsd(total),
    this_month_spend: nanosToUsd(thisMonth),
    today_spend: nanosToUsd(todayNanos),
    by_model: sortedUsd(byModelNanos),
    by_provider: sortedUsd(byProviderNanos),
    by_feature: sortedUsd(byFeatureNanos),
    by_service_tier: Object.fromEntries(
      byTier
        .map((r) => ({ tier: r.service_tier, nanos: Number(r.cost), calls: Number(r.calls) }))
        // A rollup row a repriced call left empty (its tier became known later) is no tier's spend.
        .filter((r) => r.calls > 0)
        .sort((a, b) => b.nanos - a.nanos || b.calls - a.calls)
        .map((r) => [r.tier, { spend: nanosToUsd(r.nanos), spend_nanos: r.nanos, calls: r.calls }]),
    ),
    daily_trend: [...daily].map(([date, cost]) => ({ date, spend: nanosToUsd(cost) })),
    budget_status: budget ? presentBudgetStatus(budget) : null,
    calls,
    unpriced_calls: unpriced,
    tokens,
    total_spend_nanos: total,
    cache_savings: nanosToUsd(saved),
    cache_savings_nanos: saved,
    cache_hits: hits,
    days,
    tz,
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    currency: 'USD' as const,
  };
}

function sortedUsd(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, nanosToUsd(v)]));
}

function presentBudgetStatus(s: BudgetStatus) {
  return {
    budget: nanosToUsd(s.amount_nanos),
    spent: nanosToUsd(s.spent_nanos),
    percentage: s.percentage,
    alert: s.alert,
    exceeded: s.exceeded,
    budget_id: s.budget_id,
    period: s.period,
  };
}
