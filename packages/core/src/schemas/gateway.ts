import { z } from 'zod';
import { GATEWAY_ROUTES, type GatewayRoute } from '../usage/hosts.js';
import { IsoTime } from './common.js';

/** Providers whose keys the proxy can store: every gateway route. */
export const GATEWAY_PROVIDERS = GATEWAY_ROUTES;
export type GatewayProvider = GatewayRoute;

/** A stored provider key: never the key, only its last four characters. */
export const ProviderKeyAnswer = z
  .strictObject({ provider: z.enum(GATEWAY_PROVIDERS), hint: z.string().describe('"..." and the last four characters'), created_at: IsoTime, updated_at: IsoTime })
  .meta({ id: 'ProviderKey' });
export type ProviderKeyAnswer = z.infer<typeof ProviderKeyAnswer>;

/** GET /api/gateway/provider-keys. */
export const ProviderKeyListAnswer = z.strictObject({ keys: z.array(ProviderKeyAnswer) }).meta({ id: 'ProviderKeyList' });
export type ProviderKeyListAnswer = z.infer<typeof ProviderKeyListAnswer>;

/** How long a cached answer is served, in seconds: the bounds of `x-llmlab-cache-ttl` and of the project setting. */
export const CACHE_TTL_BOUNDS = { min: 1, max: 7 * 24 * 3600, default: 3600 } as const;

/** A project's response cache: off by default; see docs/controls.md, "Response cache". */
export const ResponseCacheSetting = z
  .strictObject({
    enabled: z.boolean().describe('Answer repeated deterministic requests (temperature 0) from the cache, for every call of the project'),
    ttl_seconds: z.number().int().min(CACHE_TTL_BOUNDS.min).max(CACHE_TTL_BOUNDS.max).describe('How long a stored answer is served'),
  })
  .meta({ id: 'ResponseCacheSetting' });
export type ResponseCacheSetting = z.infer<typeof ResponseCacheSetting>;

/** The proxy settings of a project. */
export const GatewaySettingsAnswer = z
  .strictObject({
    fail_mode: z.enum(['open', 'closed']).describe('open: forward and buffer usage when the database is unreachable; closed: answer 503'),
    cache: ResponseCacheSetting,
    azure_endpoint: z.string().nullable().describe("The project's Azure OpenAI resource (https://<resource>.openai.azure.com), where /proxy/azure/ forwards; null: LLMLAB_AZURE_BASE_URL"),
  })
  .meta({ id: 'GatewaySettings' });
export type GatewaySettingsAnswer = z.infer<typeof GatewaySettingsAnswer>;
