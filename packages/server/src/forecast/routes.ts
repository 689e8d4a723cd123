import type { OpenAPIHono } from '@hono/zod-openapi';
import { BUDGET_PERIODS } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeZoneParam } from '../routes/queries.js';
import { getForecast } from './get-forecast.js';

export function registerForecastRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/costs/forecast', tag: 'costs', auth: 'read',
    summary: 'Projected spend of the current month (or week, day, or a budget\'s period) with an 80% interval',
    query: z.object({
      tz: TimeZoneParam,
      period: z.enum(BUDGET_PERIODS, { error: 'period must be daily, weekly or monthly' }).default('monthly'),
      budget_id: z.string().min(1).max(64).optional(),
    }),
  }, ({ ctx, query }) => getForecast({ ctx, input: query }));
}
