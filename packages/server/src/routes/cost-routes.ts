import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError, addDays, DAY_MS } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext, TenantContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { getSummary } from '../usage/get-summary.js';
import { getBreakdown, getTimeseries } from '../usage/get-series.js';
import { TimeParam, TimeZoneParam } from './queries.js';

const SeriesQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  days: z.coerce.number().int().min(1).max(366).optional(),
  tz: TimeZoneParam,
  group_by: z.enum(['provider', 'model', 'feature', 'user']).default('model'),
  provider: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  feature: z.string().min(1).max(200).optional(),
  user_id: z.string().min(1).max(256).optional(),
});

/** [from, to): explicit bounds, or the last `days` local days (default 30) ending now. */
function range(ctx: TenantContext, q: z.infer<typeof SeriesQuery>) {
  const now = ctx.now();
  const to = q.to ?? now;
  const from = q.from ?? addDays(to, -((q.days ?? 30) - 1), q.tz);
  if (from >= to) throw new AppError('bad_request', 'from must be before to');
  if (to - from > 400 * DAY_MS) throw new AppError('bad_request', 'a range spans at most 400 days');
  return { from, to };
}

export function registerCostRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/summary', tag: 'costs', auth: 'read',
    summary: 'Spend summary: total, this month, today, by model/provider/feature, daily trend, budget status',
    query: z.object({ days: z.coerce.number().int().min(1, { error: 'days must be at least 1' }).max(366, { error: 'days must be at most 366' }).default(30), tz: TimeZoneParam }),
  }, ({ ctx, query }) => getSummary({ ctx, input: query }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/timeseries', tag: 'costs', auth: 'read', summary: 'Spend over time, one series per group, for charts',
    query: SeriesQuery.extend({ granularity: z.enum(['hour', 'day']).default('day') }),
  }, ({ ctx, query }) => getTimeseries({ ctx, input: { ...query, ...range(ctx, query) } }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/breakdown', tag: 'costs', auth: 'read', summary: 'Totals per provider, model, feature or user for tables', query: SeriesQuery,
  }, ({ ctx, query }) => getBreakdown({ ctx, input: { ...query, ...range(ctx, query) } }));
}
