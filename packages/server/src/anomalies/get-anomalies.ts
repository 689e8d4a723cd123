import { type AnomalyGranularity, addDays, DAY_MS, detectAnomalies, HOUR_MS, nanosToUsd } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { attributeUsers } from './attribute-users.js';
import { readAnomalySeries } from './read-anomaly-series.js';

/** History behind the judged buckets: 8 weeks of days, or 15 days of hours (two weeks of hour-of-week). */
const HISTORY = { day: 56, hour: 15 };

export interface AnomalyQuery {
  granularity: AnomalyGranularity;
  /** How many recent days are judged. */
  days: number;
  tz: string;
}

/** Spikes of spend and of tokens per call in the last `days`, per project, model and feature, with their drivers. */
export async function getAnomalies({ ctx, input }: { ctx: TenantContext; input: AnomalyQuery }) {
  const now = ctx.now();
  const since = input.granularity === 'day' ? addDays(now, -(input.days - 1), input.tz) : Math.floor((now - input.days * DAY_MS) / HOUR_MS) * HOUR_MS;
  const from = addDays(since, -HISTORY[input.granularity], input.tz);
  const series = await readAnomalySeries(ctx, { granularity: input.granularity, from, now, tz: input.tz });
  const found = detectAnomalies({ series, options: { since } });
  const withUsers = await attributeUsers(ctx, found, series[0].points.map((p) => p.at));
  return {
    granularity: input.granularity,
    tz: input.tz,
    from: new Date(since).toISOString(),
    to: new Date(now).toISOString(),
    anomalies: withUsers.map((a) => ({
      ...a,
      timestamp: new Date(a.at).toISOString(),
      excess: nanosToUsd(a.excess_nanos),
      drivers: a.drivers.map((d) => ({ ...d, excess: nanosToUsd(d.excess_nanos) })),
    })),
  };
}
