import type { OpenAPIHono } from '@hono/zod-openapi';
import { BreakdownAnswer, CostSummaryAnswer, GROUP_BYS, RollupCheckAnswer, TimeseriesAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeParam, TimeZoneParam } from '../http/query-params.js';
import { checkProjectRollups } from './check-project-rollups.js';
import { getBreakdown, getTimeseries } from './get-series.js';
import { getSummary } from './get-summary.js';

const SeriesQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  days: z.coerce.number().int().min(1).max(366).optional(),
  tz: TimeZoneParam,
  group_by: z.enum(GROUP_BYS).default('model'),
  provider: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  feature: z.string().min(1).max(200).optional(),
  user_id: z.string().min(1).max(256).optional(),
});

export function registerUsageRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/summary', tag: 'costs', auth: 'read', role: 'viewer',
    summary: 'Spend summary: total, this month, today, by model/provider/feature, daily trend, budget status',
    description: 'The last `days` local days in `tz`, today included; `this_month_spend` and `today_spend` are in `tz` too. Answered from hourly rollups (see docs/api.md on time zones).',
    response: CostSummaryAnswer,
    query: z.object({ days: z.coerce.number().int().min(1, { error: 'days must be at least 1' }).max(366, { error: 'days must be at most 366' }).default(30), tz: TimeZoneParam }),
  }, ({ ctx, query }) => getSummary({ ctx, input: query }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/timeseries', tag: 'costs', auth: 'read', role: 'viewer', summary: 'Spend over time, one series per group, for charts',
    description: 'The range is [from, to), or the last `days` local days (default 30). Grouping by user or API key, or filtering by user, reads the raw events: `raw_events_since` says where the project\'s retention cut them, ' +
      '`events_read_since` where the latest 50,000 of the range start when it held more. By user, the 50 biggest spenders get a series each and the others share one, `(other users)`.',
    response: TimeseriesAnswer, errors: { 400: 'Invalid input; or from is not before to, the range spans more than 400 days, or an hourly series more than 31' },
    query: SeriesQuery.extend({ granularity: z.enum(['hour', 'day']).default('day') }),
  }, ({ ctx, query }) => getTimeseries({ ctx, input: query }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/breakdown', tag: 'costs', auth: 'read', role: 'viewer', summary: 'Totals per provider, model, feature, user or API key for tables', query: SeriesQuery,
    description: 'With group_by=api_key each row gives the name and prefix of the key that sent the calls (revoked keys included); calls sent with a dashboard session are under key null. ' +
      'Grouping by user or API key, or filtering by user, reads the raw events: `raw_events_since` says where the project\'s retention cut them, `events_read_since` where the latest 50,000 of the range start when it held more; ' +
      'by user, the 1,000 biggest spenders get a row each and the others share one, `(other users)`. The other groupings come from hourly rollups and cover the whole history.',
    response: BreakdownAnswer, errors: { 400: 'Invalid input; or from is not before to, or the range spans more than 400 days' },
  }, ({ ctx, query }) => getBreakdown({ ctx, input: query }));
}

/** Registered apart from the cost routes: app.ts adds it last, where the API document lists it. */
export function registerRollupCheckRoute(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/admin/rollup-check', tag: 'admin', auth: 'admin', role: 'admin',
    summary: "Recompute the project's hourly rollups from its raw events and list every difference",
    description: 'Read-only. To rewrite the rollups from the events, run `npm run check:rollups -- --repair`. Only the hours that start at or after the project\'s `raw_events_since` (GET /api/projects) are checked: retention removed the raw events before it, and only the rollups hold them.',
    response: RollupCheckAnswer,
  }, ({ ctx }) => checkProjectRollups({ ctx }));
}
