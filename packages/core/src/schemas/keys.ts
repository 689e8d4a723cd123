import { GATEWAY_PROVIDER_IDS } from '../usage/hosts.js';
import { z } from 'zod';
import { IsoTime } from './common.js';

/** What an API key may do: write events, read everything, administer the project. */
export const API_SCOPES = ['ingest', 'read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The user who created an API key, as the key's org sees them; null when unknown. */
export const KeyCreator = z
  .strictObject({ user_id: z.string(), email: z.string() })
  .nullable()
  .describe("The user who created the key; null for keys made before creators were recorded, by an admin key whose creator is unknown, or by a user no longer in the org");
export type KeyCreator = z.infer<typeof KeyCreator>;

const Names = z.array(z.string().trim().min(1).max(200)).min(1).max(100);

/** POST /api/keys: scopes, and the limits of a key handed to a team ("virtual key"). */
export const ApiKeyInput = z.strictObject({
  name: z.string({ error: 'name must be a string' }).trim().min(1, { error: 'name must not be empty' }).max(100).default('API key'),
  scopes: z.array(z.enum(API_SCOPES, { error: 'scopes are ingest, read and admin' })).min(1).default(['ingest', 'read']),
  budget: z
    .strictObject({
      amount: z.number({ error: 'budget.amount must be a number of USD' }).positive().max(1e9),
      period: z.enum(['daily', 'weekly', 'monthly']).default('monthly'),
      hard_limit: z.boolean().default(true),
    })
    .optional()
    .describe("The key's own budget: a budget scoped to this key (hard by default)"),
  rate_limit: z
    .strictObject({
      requests_per_minute: z.number().int().min(1).max(10_000_000).optional(),
      tokens_per_minute: z.number().int().min(1).max(1e12).optional(),
      cost_per_hour: z.number().positive().max(1_000_000).optional(),
    })
    .refine((r) => r.requests_per_minute !== undefined || r.tokens_per_minute !== undefined || r.cost_per_hour !== undefined, { message: 'rate_limit: give requests_per_minute, tokens_per_minute or cost_per_hour' })
    .optional()
    .describe("The key's own rate limit: a rate limit scoped to this key"),
  allowed_models: Names.optional().describe('The proxy refuses other models (a dated snapshot of a listed model is allowed)'),
  allowed_providers: z.array(z.enum(GATEWAY_PROVIDER_IDS)).min(1).optional().describe('The proxy refuses other providers (catalog ids: `x-ai` for the xai route)'),
  expires_at: IsoTime.optional().describe('From then on the key is refused everywhere'),
  metadata: z.record(z.string().min(1).max(64), z.string().max(500)).optional().describe('Labels for the key (owner, team, ticket)'),
});
export type ApiKeyInput = z.infer<typeof ApiKeyInput>;

/** A key's own budget as its answer shows it, with this period's spend. */
const KeyBudget = z.strictObject({
  id: z.string(),
  amount: z.number(),
  period: z.enum(['daily', 'weekly', 'monthly']),
  hard_limit: z.boolean(),
  spent: z.number(),
  remaining: z.number(),
});

/** A project API key as listed: never the key itself. */
export const ApiKeyAnswer = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the key, to recognise it'),
    scopes: z.array(z.enum(API_SCOPES)),
    created_at: IsoTime,
    last_used_at: IsoTime.nullable(),
    revoked_at: IsoTime.nullable(),
    created_by: KeyCreator,
    allowed_models: z.array(z.string()).nullable(),
    allowed_providers: z.array(z.string()).nullable(),
    expires_at: IsoTime.nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    rate_limit: z
      .strictObject({ id: z.string(), requests_per_minute: z.number().nullable(), tokens_per_minute: z.number().nullable(), cost_per_hour: z.number().nullable() })
      .nullable()
      .describe("The key's own rate limit (a rate limit scoped to exactly this key)"),
    budget: KeyBudget.nullable().describe("The key's own budget (a budget scoped to exactly this key) and its spend this period"),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyAnswer = z.infer<typeof ApiKeyAnswer>;

/** POST /api/keys: the key itself is in `key`, shown this once. */
export const CreatedApiKeyAnswer = z.strictObject({ ...ApiKeyAnswer.shape, key: z.string() }).meta({ id: 'CreatedApiKey' });
export type CreatedApiKeyAnswer = z.infer<typeof CreatedApiKeyAnswer>;

/** GET /api/keys: newest first. */
export const ApiKeyListAnswer = z.strictObject({ keys: z.array(ApiKeyAnswer) }).meta({ id: 'ApiKeyList' });
export type ApiKeyListAnswer = z.infer<typeof ApiKeyListAnswer>;
