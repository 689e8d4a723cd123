import { type DailySpend, HOUR_MS, localDate, localDatesBetween } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { rollupQuery, type UsageFilters } from '../usage/read-rollups.js';

/**
 * Spend per local day in `tz` from `from` to the day of `now` (partial), zero days included,
 * oldest first, from the hourly rollups.
 */
export async function readDailySpend(ctx: TenantContext, from: number, now: number, tz: string, filters: UsageFilters = {}): Promise<DailySpend[]> {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const rows = await rollupQuery(ctx, Math.floor(from / HOUR_MS) * HOUR_MS, end, filters)
    .select((eb) => ['hour', eb.fn.sum<number>('cost_nanos').as('cost')])
    .groupBy('hour')
    .execute();
  const days = new Map(localDatesBetween(from, now, tz).map((d) => [d, 0]));
  for (const r of rows) {
    const d = localDate(Number(r.hour), tz);
    if (days.has(d)) days.set(d, (days.get(d) ?? 0) + Number(r.cost));
  }
  return [...days].map(([date, spend_nanos]) => ({ date, spend_nanos }));
}
