import { AppError, type GatewayProvider } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { audit } from '../audit/record-audit.js';
import type { AppContext, TenantContext } from '../context.js';
import { decryptProviderKey, encryptProviderKey } from './key-cipher.js';
import type { ProviderKeysTable } from './tables.js';

export { GATEWAY_PROVIDERS, type GatewayProvider } from '@llmlab/core';

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
  return ctx.db.transaction(async (trx) => {
    const current = await ctx.db.forUpdate(trx.selectFrom('provider_keys').select('hint').where('project_id', '=', projectId).where('provider', '=', input.provider)).executeTakeFirst();
    await trx
      .insertInto('provider_keys')
      .values({ id: uuidv7(), project_id: projectId, provider: input.provider, ciphertext, hint, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['project_id', 'provider']).doUpdateSet({ ciphertext, hint, updated_at: now }))
      .execute();
    const row = await trx.selectFrom('provider_keys').selectAll().where('project_id', '=', projectId).where('provider', '=', input.provider).executeTakeFirstOrThrow();
    await audit(trx, ctx, {
      action: 'provider_key.set',
      targetType: 'provider_key',
      targetId: input.provider,
      projectId,
      before: current ? describeStoredKey(input.provider, current.hint) : null,
      after: { provider: input.provider, key: maskProviderKey(input.key) },
    });
    return present(row);
  });
}

/**
 * A provider key as the audit log shows it: `sk-...abcd`, its first three and last four
 * characters, or only the last four when so few would stay hidden that the rest is guessable.
 */
function maskProviderKey(key: string): string {
  return key.length >= 16 ? `${key.slice(0, 3)}...${key.slice(-4)}` : `...${key.slice(-4)}`;
}

/** A stored key as the audit log shows it: only its last four characters are kept, so `...abcd`. */
function describeStoredKey(provider: GatewayProvider, hint: string) {
  return { provider, key: `...${hint}` };
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
  const projectId = ctx.actor.projectId;
  await ctx.db.transaction(async (trx) => {
    const stored = await trx.deleteFrom('provider_keys').where('project_id', '=', projectId).where('provider', '=', provider).returning('hint').executeTakeFirst();
    if (!stored) throw new AppError('not_found', `no ${provider} key is stored for this project`);
    await audit(trx, ctx, { action: 'provider_key.deleted', targetType: 'provider_key', targetId: provider, projectId, before: describeStoredKey(provider, stored.hint) });
  });
}

/**
 * The decrypted keys the proxy sends upstream, by provider, in one query. A key that no longer
 * decrypts (LLMLAB_SECRET changed) is the error to answer for that provider's calls alone.
 */
export async function readProviderKeys(ctx: AppContext, projectId: string): Promise<Partial<Record<GatewayProvider, string | AppError>>> {
  const rows = await ctx.db.kysely.selectFrom('provider_keys').select(['provider', 'ciphertext']).where('project_id', '=', projectId).execute();
  const keys: Partial<Record<GatewayProvider, string | AppError>> = {};
  for (const row of rows) {
    const provider = row.provider;
    try {
      keys[provider] = decryptProviderKey(ctx.config.secret, projectId, provider, row.ciphertext);
    } catch {
      keys[provider] = new AppError('unavailable', `the stored ${provider} key cannot be decrypted (LLMLAB_SECRET changed since it was stored); store it again`);
    }
  }
  return keys;
}
