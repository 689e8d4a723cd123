import type { OpenAPIHono } from '@hono/zod-openapi';
import { AnomalyListAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeZoneParam } from '../http/query-params.js';
import { getAnomalies } from './get-anomalies.js';

export function registerAnomalyRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/anomalies', tag: 'costs', auth: 'read', role: 'viewer', response: AnomalyListAnswer,
    summary: 'Spikes of spend and tokens per call against a robust baseline, with the model, feature and user that drove them',
    query: z.object({
      granularity: z.enum(['day', 'hour'], { error: 'granularity must be day or hour' }).default('day'),
      days: z.coerce.number().int().min(1, { error: 'days must be at least 1' }).max(30, { error: 'days must be at most 30' }).default(7),
      tz: TimeZoneParam,
    }),
  }, ({ ctx, query }) => getAnomalies({ ctx, input: query }));
}
