import { CACHE_TTL_BOUNDS, type ResponseCacheSetting } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import type { AppContext, TenantContext } from '../context.js';

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
}

const DEFAULTS: GatewaySettings = { fail_mode: 'open', cache: { enabled: false, ttl_seconds: CACHE_TTL_BOUNDS.default } };

export async function readGatewaySettings(ctx: AppContext, projectId: string): Promise<GatewaySettings> {
  const row = await ctx.db.kysely.selectFrom('gateway_settings').select(['fail_mode', 'cache_enabled', 'cache_ttl_seconds']).where('project_id', '=', projectId).executeTakeFirst();
  return row ? { fail_mode: row.fail_mode, cache: { enabled: row.cache_enabled === 1, ttl_seconds: Number(row.cache_ttl_seconds) } } : DEFAULTS;
}

export async function getGatewaySettings({ ctx }: { ctx: TenantContext }): Promise<GatewaySettings> {
  return readGatewaySettings(ctx, ctx.actor.projectId);
}

/** Changes the settings given and keeps the others, with one audit entry. */
export async function updateGatewaySettings({ ctx, input }: { ctx: TenantContext; input: { fail_mode?: FailMode; cache?: { enabled: boolean; ttl_seconds?: number } } }): Promise<GatewaySettings> {
  const now = ctx.now();
  const projectId = ctx.actor.projectId;
  return ctx.db.transaction(async (trx) => {
    const row = await ctx.db.forUpdate(trx.selectFrom('gateway_settings').select(['fail_mode', 'cache_enabled', 'cache_ttl_seconds']).where('project_id', '=', projectId)).executeTakeFirst();
    const before: GatewaySettings = row ? { fail_mode: row.fail_mode, cache: { enabled: row.cache_enabled === 1, ttl_seconds: Number(row.cache_ttl_seconds) } } : DEFAULTS;
    const after: GatewaySettings = {
      fail_mode: input.fail_mode ?? before.fail_mode,
      cache: input.cache ? { enabled: input.cache.enabled, ttl_seconds: input.cache.ttl_seconds ?? before.cache.ttl_seconds } : before.cache,
    };
    const values = { fail_mode: after.fail_mode, cache_enabled: after.cache.enabled ? 1 : 0, cache_ttl_seconds: after.cache.ttl_seconds, updated_at: now };
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
