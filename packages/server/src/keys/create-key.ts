import { uuidv7 } from 'uuidv7';
import { type ApiKeyAnswer, type ApiKeyInput, AppError, type KeyCreator } from '@llmlab/core';
import type { Kysely } from 'kysely';
import { audit } from '../audit/record-audit.js';
import type { Scope } from '../auth/actor.js';
import { API_KEY_PREFIX, generateSecret, sha256 } from '../auth/secrets.js';
import type { AppContext, TenantContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { createBudget } from '../budgets/budgets.js';
import { createRateLimit } from '../rate-limits/rate-limits.js';
import type { ApiKeysTable } from '../db/schema.js';
import { limitColumns, presentLimits } from './key-limits.js';
import { checkKeyScopes } from './key-rights.js';

type KeyLimitsInput = Parameters<typeof limitColumns>[0];
type KeyLimitColumns = Pick<ApiKeysTable, 'allowed_models' | 'allowed_providers' | 'expires_at' | 'metadata'>;

/**
 * Creates a project API key, recording `creator` as its creator, with `db` (the caller's
 * transaction, or the database). The key itself is returned once and never stored.
 */
export async function createApiKey({ ctx, db = ctx.db.kysely, projectId, input }: { ctx: AppContext; db?: Kysely<Database>; projectId: string; input: { name: string; scopes: Scope[]; creator: KeyCreator; limits?: KeyLimitsInput } }) {
  const key = generateSecret(API_KEY_PREFIX);
  const row = {
    id: uuidv7(),
    project_id: projectId,
    name: input.name,
    prefix: key.slice(0, API_KEY_PREFIX.length + 6),
    key_hash: sha256(key),
    scopes: [...new Set(input.scopes)].sort().join(','),
    created_at: ctx.now(),
    last_used_at: null,
    revoked_at: null,
    created_by: input.creator?.user_id ?? null,
    ...limitColumns(input.limits ?? {}),
  };
  await db.insertInto('api_keys').values(row).execute();
  return { ...presentKey({ ...row, creator_id: input.creator?.user_id ?? null, creator_email: input.creator?.email ?? null }, null, null), key };
}

/** Creates a key in the actor's project, its scopes within the actor's role; its creator is the session's user, or the creator of the admin key used. */
export async function createProjectKey({ ctx, input }: { ctx: TenantContext; input: ApiKeyInput }) {
  checkKeyScopes(ctx, input.scopes as Scope[]);
  if (input.expires_at && Date.parse(input.expires_at) <= ctx.now()) {
    throw new AppError('validation_failed', 'expires_at: must be in the future', [{ path: 'expires_at', message: 'must be in the future' }]);
  }
  const creator = await readActorUser(ctx);
  const projectId = ctx.actor.projectId;
  const created = await ctx.db.transaction(async (trx) => {
    const made = await createApiKey({ ctx, db: trx, projectId, input: { name: input.name, scopes: input.scopes as Scope[], creator, limits: input } });
    await audit(trx, ctx, { action: 'api_key.created', targetType: 'api_key', targetId: made.id, projectId, after: describeKey(made) });
    let result = made;
    if (input.rate_limit) {
      // The key's own limits are ordinary ones scoped to the key: the proxy holds them like any other.
      const limit = await createRateLimit({ ctx, trx, input: { name: `Key "${input.name}"`, ...input.rate_limit, scope: { api_key_id: made.id } } });
      result = { ...result, rate_limit: { id: limit.id, requests_per_minute: limit.requests_per_minute ?? null, tokens_per_minute: limit.tokens_per_minute ?? null, cost_per_hour: limit.cost_per_hour ?? null } };
    }
    if (input.budget) {
      const budget = await createBudget({ ctx, trx, input: { name: `Key "${input.name}"`, amount: input.budget.amount, period: input.budget.period, hard_limit: input.budget.hard_limit, scope: { api_key_id: made.id } } });
      result = { ...result, budget: { id: budget.id, amount: budget.amount, period: budget.period, hard_limit: budget.hard_limit, spent: 0, remaining: budget.amount } };
    }
    return result;
  });
  return created;
}

/** A key as the audit log shows it: its name, prefix, scopes and limits, never the key or its hash. */
export function describeKey(key: { name: string; prefix: string; scopes: readonly string[]; allowed_models?: string[] | null; allowed_providers?: string[] | null; expires_at?: string | null }) {
  return { name: key.name, prefix: key.prefix, scopes: [...key.scopes], allowed_models: key.allowed_models ?? null, allowed_providers: key.allowed_providers ?? null, expires_at: key.expires_at ?? null };
}

/** The user acting, seen from the actor's org: null for an admin key whose creator is unknown or no longer a member. */
export async function readActorUser(ctx: TenantContext): Promise<KeyCreator> {
  const { actor } = ctx;
  let userId = actor.kind === 'session' ? actor.userId : undefined;
  if (actor.kind === 'api_key' && actor.keyId) {
    const key = await ctx.db.kysely.selectFrom('api_keys').select('created_by').where('id', '=', actor.keyId).where('project_id', '=', actor.projectId).executeTakeFirst();
    userId = key?.created_by ?? undefined;
  }
  if (!userId) return null;
  const user = await ctx.db.kysely
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select(['users.id', 'users.email'])
    .where('users.id', '=', userId)
    .where('memberships.org_id', '=', actor.orgId)
    .executeTakeFirst();
  return user ? { user_id: user.id, email: user.email } : null;
}

interface StoredKey extends KeyLimitColumns {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** The creator's id and email, both null unless the creator is a member of the key's org. */
  creator_id: string | null;
  creator_email: string | null;
}

export function presentKey(row: StoredKey, budget: ApiKeyAnswer['budget'], rateLimit: ApiKeyAnswer['rate_limit']): ApiKeyAnswer {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(',') as Scope[],
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
    revoked_at: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
    created_by: row.creator_id !== null && row.creator_email !== null ? { user_id: row.creator_id, email: row.creator_email } : null,
    ...presentLimits(row),
    rate_limit: rateLimit,
    budget,
  };
}
