import { z } from 'zod';
import { IsoTime } from './common.js';

/** Providers whose keys the proxy can store. */
export const GATEWAY_PROVIDERS = ['openai', 'anthropic'] as const;
export type GatewayProvider = (typeof GATEWAY_PROVIDERS)[number];

/** A stored provider key: never the key, only its last four characters. */
export const ProviderKeyAnswer = z
  .strictObject({ provider: z.enum(GATEWAY_PROVIDERS), hint: z.string().describe('"..." and the last four characters'), created_at: IsoTime, updated_at: IsoTime })
  .meta({ id: 'ProviderKey' });
export type ProviderKeyAnswer = z.infer<typeof ProviderKeyAnswer>;

/** GET /api/gateway/provider-keys. */
export const ProviderKeyListAnswer = z.strictObject({ keys: z.array(ProviderKeyAnswer) }).meta({ id: 'ProviderKeyList' });
export type ProviderKeyListAnswer = z.infer<typeof ProviderKeyListAnswer>;

/** The proxy settings of a project. */
export const GatewaySettingsAnswer = z
  .strictObject({ fail_mode: z.enum(['open', 'closed']).describe('open: forward and buffer usage when the database is unreachable; closed: answer 503') })
  .meta({ id: 'GatewaySettings' });
export type GatewaySettingsAnswer = z.infer<typeof GatewaySettingsAnswer>;
