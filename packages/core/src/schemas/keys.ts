import { z } from 'zod';
import { IsoTime } from './common.js';

/** What an API key may do: write events, read everything, administer the project. */
export const API_SCOPES = ['ingest', 'read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

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
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyAnswer = z.infer<typeof ApiKeyAnswer>;

/** POST /api/keys: the key itself is in `key`, shown this once. */
export const CreatedApiKeyAnswer = z.strictObject({ ...ApiKeyAnswer.shape, key: z.string() }).meta({ id: 'CreatedApiKey' });
export type CreatedApiKeyAnswer = z.infer<typeof CreatedApiKeyAnswer>;

/** GET /api/keys: newest first. */
export const ApiKeyListAnswer = z.strictObject({ keys: z.array(ApiKeyAnswer) }).meta({ id: 'ApiKeyList' });
export type ApiKeyListAnswer = z.infer<typeof ApiKeyListAnswer>;
