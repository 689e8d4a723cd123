import { AppError } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import type { AppContext, TenantContext } from '../context.js';
import { decryptProviderKey, encryptProviderKey } from './key-cipher.js';
import type { ProviderKeysTable } from './tables.js';

export const GATEWAY_PROVIDERS = ['openai', 'anthropic'] as const;
export type GatewayProvider = (typeof GATEWAY_PROVIDERS)[number];

/** What the API shows of a stored key: never the key, only its last four characters. */
function present(row: Pick<ProviderKeysTable, 'provider' | 'hint' | 'created_at' | 'updated_at'>) {
  return {
    provider: row.provider,
    hint: `...${row.hint}`,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** Stores (or replaces) the project's key for a provider, encrypted at rest. */
export async function setProviderKey({ ctx, input }: { ctx: TenantContext; input: { provider: GatewayProvider; key: string } }) {
  const now = ctx.now();
  const projectId = ctx.actor.projectId;
  const ciphertext = encryptProviderKey(ctx.config.secret, projectId, input.provider, input.key);
  const hint = input.key.slice(-4);
  await ctx.db.kysely
    .insertInto('provider_keys')
    .values({ id: uuidv7(), project_id: projectId, provider: input.provider, ciphertext, hint, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['project_id', 'provider']).doUpdateSet({ ciphertext, hint, updated_at: now }))
    .execute();
  const row = await ctx.db.kysely.selectFrom('provider_keys').selectAll().where('project_id', '=', projectId).where('provider', '=', input.provider).executeTakeFirstOrThrow();
  return present(row);
}

export async function listProviderKeys({ ctx }: { ctx: TenantContext }) {
  const rows = await ctx.db.kysely
    .selectFrom('provider_keys')
    .select(['provider', 'hint', 'created_at', 'updated_at'])
    .where('project_id', '=', ctx.actor.projectId)
    .orderBy('provider')
    .execute();
  return rows.map(present);
}

export async function deleteProviderKey({ ctx, provider }: { ctx: TenantContext; provider: GatewayProvider }) {
  const result = await ctx.db.kysely.deleteFrom('provider_keys').where('project_id', '=', ctx.actor.projectId).where('provider', '=', provider).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new AppError('not_found', `no ${provider} key is stored for this project`);
}

/** The decrypted key the proxy sends upstream, or null when the project stores none. */
export async function readProviderKey(ctx: AppContext, projectId: string, provider: GatewayProvider): Promise<string | null> {
  const row = await ctx.db.kysely.selectFrom('provider_keys').select('ciphertext').where('project_id', '=', projectId).where('provider', '=', provider).executeTakeFirst();
  if (!row) return null;
  try {
    return decryptProviderKey(ctx.config.secret, projectId, provider, row.ciphertext);
  } catch {
    throw new AppError('unavailable', `the stored ${provider} key cannot be decrypted (LLMLAB_SECRET changed since it was stored); store it again`);
  }
}
