import type { OpenAPIHono } from '@hono/zod-openapi';
import { RateLimitAnswer, RateLimitInput, RateLimitListAnswer, RateLimitPatch, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { createRateLimit, deleteRateLimit, getRateLimit, listRateLimits, updateRateLimit } from './rate-limits.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const NO_LIMIT = { 404: 'No such rate limit in the project' };
const ENFORCED =
  'The proxy refuses a call over a limit before it leaves with 429 in the provider\'s error format, `Retry-After` and `x-ratelimit-*` headers; SDK wrapped clients hold `requests_per_minute` per process. See docs/controls.md.';

export function registerRateLimitRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/rate-limits', tag: 'rate-limits', summary: "The project's rate limits", auth: 'read', role: 'viewer', response: RateLimitListAnswer }, async ({ ctx }) => ({ rate_limits: await listRateLimits({ ctx }) }));
  defineRoute(app, ctx, { method: 'post', path: '/api/rate-limits', tag: 'rate-limits', summary: 'Create a rate limit: requests or tokens a minute, cost an hour, optionally scoped and per end user, key or feature', auth: 'admin', role: 'admin', body: RateLimitInput, response: RateLimitAnswer, status: 201, description: ENFORCED }, ({ ctx, body }) => createRateLimit({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'get', path: '/api/rate-limits/{id}', tag: 'rate-limits', summary: 'One rate limit', auth: 'read', role: 'viewer', params: Id, response: RateLimitAnswer, errors: NO_LIMIT }, ({ ctx, params }) => getRateLimit({ ctx, id: params.id }));
  defineRoute(app, ctx, { method: 'patch', path: '/api/rate-limits/{id}', tag: 'rate-limits', summary: 'Change a rate limit (null removes a limit, a scope or per)', auth: 'admin', role: 'admin', params: Id, body: RateLimitPatch, response: RateLimitAnswer, errors: NO_LIMIT }, ({ ctx, params, body }) => updateRateLimit({ ctx, id: params.id, input: body }));
  defineRoute(app, ctx, { method: 'delete', path: '/api/rate-limits/{id}', tag: 'rate-limits', summary: 'Delete a rate limit', auth: 'admin', role: 'admin', params: Id, response: SuccessAnswer, errors: NO_LIMIT }, async ({ ctx, params }) => {
    await deleteRateLimit({ ctx, id: params.id });
    return { success: true } as const;
  });
}
