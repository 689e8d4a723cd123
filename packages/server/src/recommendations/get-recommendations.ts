import { DAY_MS, HOUR_MS, recommend } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { readUsageAggregates } from './read-usage-aggregates.js';

/** The last 30 days' usage of the project turned into advice with dollar figures. */
export async function getRecommendations({ ctx, input }: { ctx: TenantContext; input: { tz: string } }) {
  const now = ctx.now();
  const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const { usage, days } = await readUsageAggregates(ctx, to - 30 * DAY_MS, to, input.tz);
  return recommend({ usage, now, days });
}
