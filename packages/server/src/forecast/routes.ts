import type { OpenAPIHono } from '@hono/zod-openapi';
import { BUDGET_PERIODS, ForecastAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeZoneParam } from '../http/query-params.js';
import { getForecast } from './get-forecast.js';

export function registerForecastRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/forecast', tag: 'costs', auth: 'read', role: 'viewer', response: ForecastAnswer, errors: { 404: 'No budget with this budget_id in the project' },
    description: 'With budget_id, the budget\'s period, time zone and scope are used and `crosses_budget_on` says when it is projected to be reached. The method is in docs/recommendations.md.',
    summary: 'Projected spend of the current month (or week, day, or a budget\'s period) with an 80% interval',
    query: z.object({
      tz: TimeZoneParam,
      period: z.enum(BUDGET_PERIODS, { error: 'period must be daily, weekly or monthly' }).default('monthly'),
      budget_id: z.string().min(1).max(64).optional(),
    }),
  }, ({ ctx, query }) => getForecast({ ctx, input: query }));
}
