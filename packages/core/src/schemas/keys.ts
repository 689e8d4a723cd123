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
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyAnswer = z.infer<typeof ApiKeyAnswer>;

/** POST /api/keys: the key itself is in `key`, shown this once. */
export const CreatedApiKeyAnswer = z.strictObject({ ...ApiKeyAnswer.shape, key: z.string() }).meta({ id: 'CreatedApiKey' });
export type CreatedApiKeyAnswer = z.infer<typeof CreatedApiKeyAnswer>;

/** GET /api/keys: newest first. */
export const ApiKeyListAnswer = z.strictObject({ keys: z.array(ApiKeyAnswer) }).meta({ id: 'ApiKeyList' });
export type ApiKeyListAnswer = z.infer<typeof ApiKeyListAnswer>;
