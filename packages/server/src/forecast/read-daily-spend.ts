import { type DailySpend, HOUR_MS, localDate, localDatesBetween } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { rollupQuery, type UsageFilters } from '../usage/read-rollups.js';

export interface DailySpendSeries {
  /** Spend per local day, oldest first, zero days included. */
  daily: DailySpend[];
  /** Start of the first hour with spend in the range (when the data begin); undefined without spend. */
  since: number | undefined;
}

/**
 * Spend per local day in `tz` from `from` to the day of `now` (partial), zero days included,
 * oldest first, from the hourly rollups.
 */
export async function readDailySpend(ctx: TenantContext, from: number, now: number, tz: string, filters: UsageFilters = {}): Promise<DailySpendSeries> {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const rows = await rollupQuery(ctx, Math.floor(from / HOUR_MS) * HOUR_MS, end, filters)
    .select((eb) => ['hour', eb.fn.sum<number>('cost_nanos').as('cost')])
    .groupBy('hour')
    .execute();
  const days = new Map(localDatesBetween(from, now, tz).map((d) => [d, 0]));
  let since: number | undefined;
  for (const r of rows) {
    const hour = Number(r.hour);
    const d = localDate(hour, tz);
    if (!days.has(d)) continue;
    days.set(d, (days.get(d) ?? 0) + Number(r.cost));
    if (Number(r.cost) > 0 && (since === undefined || hour < since)) since = hour;
  }
  return { daily: [...days].map(([date, spend_nanos]) => ({ date, spend_nanos })), since };
}
