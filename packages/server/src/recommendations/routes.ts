import type { OpenAPIHono } from '@hono/zod-openapi';
import { RecommendationListAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeZoneParam } from '../http/query-params.js';
import { getRecommendations } from './get-recommendations.js';

export function registerRecommendationRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/recommendations', tag: 'recommendations', auth: 'read', role: 'viewer', response: RecommendationListAnswer,
    summary: 'Ways to spend less, priced on the last 30 days of the project\'s own usage',
    description: 'A list, largest monthly saving first; empty for a project without usage. See docs/recommendations.md.',
    query: z.object({ tz: TimeZoneParam }),
  }, ({ ctx, query }) => getRecommendations({ ctx, input: query }));
}
