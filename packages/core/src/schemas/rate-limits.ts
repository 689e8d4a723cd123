import { z } from 'zod';
import { IsoTime, Usd } from './common.js';

const scopeValue = z.string().trim().min(1).max(200);

/** What a rate limit counts: every given field must match a call. */
const RateLimitScope = z.strictObject({
  provider: scopeValue.optional(),
  model: scopeValue.optional().describe('The model the call asks for (case-insensitive)'),
  feature: scopeValue.optional(),
  end_user: scopeValue.optional().describe('Only calls of this end user (user_id / x-llmlab-user)'),
  api_key_id: scopeValue.optional().describe('Only calls sent with this API key'),
});

export const RATE_LIMIT_PER = ['end_user', 'api_key', 'feature'] as const;
export type RateLimitPer = (typeof RATE_LIMIT_PER)[number];
const Per = z.enum(RATE_LIMIT_PER, { error: 'per must be end_user, api_key or feature' });

const requestsPerMinute = z
  .number({ error: 'requests_per_minute must be a number' })
  .int({ error: 'requests_per_minute must be a whole number' })
  .min(1, { error: 'requests_per_minute must be at least 1' })
  .max(10_000_000);
const tokensPerMinute = z
  .number({ error: 'tokens_per_minute must be a number' })
  .int({ error: 'tokens_per_minute must be a whole number' })
  .min(1, { error: 'tokens_per_minute must be at least 1' })
  .max(1e12);
const costPerHour = z
  .number({ error: 'cost_per_hour must be a number of USD' })
  .positive({ error: 'cost_per_hour must be more than 0' })
  .max(1_000_000, { error: 'cost_per_hour must be at most 1,000,000 USD' });

const LIMIT_FIELDS = 'requests_per_minute, tokens_per_minute or cost_per_hour';

export const RateLimitInput = z
  .strictObject({
    requests_per_minute: requestsPerMinute.optional(),
    tokens_per_minute: tokensPerMinute.optional().describe("Counted before the call: the prompt's estimate plus its max output tokens"),
    cost_per_hour: costPerHour.optional().describe("USD; counted before the call: the most it can cost (prompt estimate plus max output at the model's price)"),
    name: z.string().trim().min(1).max(100).optional(),
    scope: RateLimitScope.optional(),
    per: Per.optional().describe('Every end user, API key or feature gets its own window of these limits ("each customer 10 requests a minute")'),
  })
  .refine((r) => r.requests_per_minute !== undefined || r.tokens_per_minute !== undefined || r.cost_per_hour !== undefined, {
    message: `give at least one limit: ${LIMIT_FIELDS}`,
  });
export type RateLimitInput = z.infer<typeof RateLimitInput>;

/** PATCH: null removes a limit (one must remain), a scope or `per`. */
export const RateLimitPatch = z.strictObject({
  requests_per_minute: requestsPerMinute.nullable().optional(),
  tokens_per_minute: tokensPerMinute.nullable().optional(),
  cost_per_hour: costPerHour.nullable().optional(),
  name: z.string().trim().min(1).max(100).optional(),
  scope: RateLimitScope.nullable().optional(),
  per: Per.nullable().optional(),
});
export type RateLimitPatch = z.infer<typeof RateLimitPatch>;

const RateLimitScopeAnswer = z.strictObject({
  provider: z.string().optional(),
  model: z.string().optional(),
  feature: z.string().optional(),
  end_user: z.string().optional(),
  api_key_id: z.string().optional(),
});
export type RateLimitScope = z.infer<typeof RateLimitScopeAnswer>;

/** A rate limit (GET /api/rate-limits/{id}, and the answer of every rate limit write). */
export const RateLimitAnswer = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    scope: RateLimitScopeAnswer.nullable().describe('Only calls of this provider, model, feature, end user and key count; null for every call of the project'),
    per: Per.nullable().describe('Each value of this dimension has its own window; null for one window shared by every call in scope'),
    requests_per_minute: z.number().int().nullable(),
    tokens_per_minute: z.number().int().nullable(),
    cost_per_hour: Usd.nullable(),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .meta({ id: 'RateLimit' });
export type RateLimitAnswer = z.infer<typeof RateLimitAnswer>;

/** GET /api/rate-limits: oldest first. */
export const RateLimitListAnswer = z.strictObject({ rate_limits: z.array(RateLimitAnswer) }).meta({ id: 'RateLimitList' });
export type RateLimitListAnswer = z.infer<typeof RateLimitListAnswer>;
