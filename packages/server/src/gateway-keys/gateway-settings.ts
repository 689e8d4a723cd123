import { AppError, CACHE_TTL_BOUNDS, type ResponseCacheSetting } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import type { AppContext, TenantContext } from '../context.js';
import type { GatewaySettingsTable } from './tables.js';

export type FailMode = 'open' | 'closed';

/**
 * What the proxy does for a project: `fail_mode`, when LLMLab's database is unreachable, `open`
 * (the default) forwards the call and buffers its usage, `closed` answers 503 in the provider's
 * format; `cache`, whether repeated deterministic calls are answered from the response cache
 * (off by default).
 */
export interface GatewaySettings {
  fail_mode: FailMode;
  cache: ResponseCacheSetting;
  /** Where /proxy/azure/ forwards for this project; null: LLMLAB_AZURE_BASE_URL. */
  azure_endpoint: string | null;
}

const DEFAULTS: GatewaySettings = { fail_mode: 'open', cache: { enabled: false, ttl_seconds: CACHE_TTL_BOUNDS.default }, azure_endpoint: null };

const COLUMNS = ['fail_mode', 'cache_enabled', 'cache_ttl_seconds', 'azure_endpoint'] as const;

function settingsOf(row: Pick<GatewaySettingsTable, (typeof COLUMNS)[number]> | undefined): GatewaySettings {
  return row ? { fail_mode: row.fail_mode, cache: { enabled: row.cache_enabled === 1, ttl_seconds: Number(row.cache_ttl_seconds) }, azure_endpoint: row.azure_endpoint } : DEFAULTS;
}

/** Hosts of Azure OpenAI resources: a project's endpoint must be one, so a project setting cannot aim the server at any other address. */
const AZURE_RESOURCE_HOST = /^[a-z0-9][a-z0-9-]*\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/;

/** An Azure OpenAI endpoint as stored: https, an Azure resource host, no path beyond `/`; or the 400 that says why not. */
export function azureEndpointOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('validation_failed', 'azure_endpoint: not a URL; give your resource\'s endpoint, such as https://my-resource.openai.azure.com');
  }
  if (url.protocol !== 'https:' || !AZURE_RESOURCE_HOST.test(url.hostname) || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new AppError('validation_failed', 'azure_endpoint: must be an Azure OpenAI resource endpoint, https://<resource>.openai.azure.com (or .cognitiveservices.azure.com, .services.ai.azure.com), without a path; for any other address set LLMLAB_AZURE_BASE_URL on the server');
  }
  return `https://${url.host}`;
}

export async function readGatewaySettings(ctx: AppContext, projectId: string): Promise<GatewaySettings> {
  return settingsOf(await ctx.db.kysely.selectFrom('gateway_settings').select(COLUMNS).where('project_id', '=', projectId).executeTakeFirst());
}

export async function getGatewaySettings({ ctx }: { ctx: TenantContext }): Promise<GatewaySettings> {
  return readGatewaySettings(ctx, ctx.actor.projectId);
}

/** Changes the settings given and keeps the others, with one audit entry. */
export async function updateGatewaySettings({ ctx, input }: { ctx: TenantContext; input: { fail_mode?: FailMode; cache?: { enabled: boolean; ttl_seconds?: number }; azure_endpoint?: string | null } }): Promise<GatewaySettings> {
  const now = ctx.now();
  const projectId = ctx.actor.projectId;
  const azureEndpoint = input.azure_endpoint == null ? input.azure_endpoint : azureEndpointOf(input.azure_endpoint);
  return ctx.db.transaction(async (trx) => {
    const before = settingsOf(await ctx.db.forUpdate(trx.selectFrom('gateway_settings').select(COLUMNS).where('project_id', '=', projectId)).executeTakeFirst());
    const after: GatewaySettings = {
      fail_mode: input.fail_mode ?? before.fail_mode,
      cache: input.cache ? { enabled: input.cache.enabled, ttl_seconds: input.cache.ttl_seconds ?? before.cache.ttl_seconds } : before.cache,
      azure_endpoint: azureEndpoint === undefined ? before.azure_endpoint : azureEndpoint,
    };
    const values = { fail_mode: after.fail_mode, cache_enabled: after.cache.enabled ? 1 : 0, cache_ttl_seconds: after.cache.ttl_seconds, azure_endpoint: after.azure_endpoint, updated_at: now };
    await trx
      .insertInto('gateway_settings')
      .values({ project_id: projectId, ...values })
      .onConflict((oc) => oc.column('project_id').doUpdateSet(values))
      .execute();
    // The entry names the settings the request set, as they were and as they are.
    const asked = (Object.keys(DEFAULTS) as (keyof GatewaySettings)[]).filter((k) => input[k] !== undefined);
    const pick = (s: GatewaySettings) => Object.fromEntries(asked.map((k) => [k, s[k]]));
    await audit(trx, ctx, { action: 'gateway_settings.updated', targetType: 'gateway_settings', targetId: projectId, projectId, before: pick(before), after: pick(after) });
    return after;
  });
}
