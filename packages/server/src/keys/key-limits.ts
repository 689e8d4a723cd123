import { type ApiKeyInput, nanosToUsd } from '@llmlab/core';
import type { ApiKeysTable } from '../db/schema.js';
import type { TenantContext } from '../context.js';
import { budgetStatus } from '../budgets/budget-status.js';

type LimitColumns = Pick<ApiKeysTable, 'allowed_models' | 'allowed_providers' | 'expires_at' | 'metadata'>;

/** A key's limits as its columns store them. */
export function limitColumns(input: Pick<ApiKeyInput, 'allowed_models' | 'allowed_providers' | 'expires_at' | 'metadata'>): LimitColumns {
  return {
    allowed_models: input.allowed_models ? JSON.stringify([...new Set(input.allowed_models)]) : null,
    allowed_providers: input.allowed_providers ? JSON.stringify([...new Set(input.allowed_providers)]) : null,
    expires_at: input.expires_at ? Date.parse(input.expires_at) : null,
    metadata: input.metadata ? JSON.stringify(input.metadata) : null,
  };
}

const list = (json: string | null) => (json ? (JSON.parse(json) as string[]) : null);

/** A key's limits as its answer shows them. */
export function presentLimits(row: LimitColumns) {
  return {
    allowed_models: list(row.allowed_models),
    allowed_providers: list(row.allowed_providers),
    expires_at: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
    metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, string>) : null,
  };
}

/** Each key's own budget (a budget scoped to exactly that key, the first made) with its spend this period. */
export async function keyBudgets(ctx: TenantContext, keyIds: string[]) {
  const out = new Map<string, { id: string; amount: number; period: 'daily' | 'weekly' | 'monthly'; hard_limit: boolean; spent: number; remaining: number }>();
  if (!keyIds.length) return out;
  const budgets = await ctx.db.kysely
    .selectFrom('budgets')
    .selectAll()
    .where('project_id', '=', ctx.actor.projectId)
    .where('scope_api_key_id', 'in', keyIds)
    .where('scope_provider', 'is', null)
    .where('scope_model', 'is', null)
    .where('scope_feature', 'is', null)
    .where('scope_end_user', 'is', null)
    .where('scope_tags', 'is', null)
    .where('per', 'is', null)
    .orderBy('created_at')
    .execute();
  const now = ctx.now();
  for (const b of budgets) {
    const keyId = b.scope_api_key_id as string;
    if (out.has(keyId)) continue;
    const s = await budgetStatus(ctx, b, now);
    out.set(keyId, { id: b.id, amount: nanosToUsd(b.amount_nanos), period: b.period, hard_limit: b.hard_limit === 1, spent: nanosToUsd(s.spent_nanos), remaining: nanosToUsd(Math.max(0, b.amount_nanos - s.spent_nanos)) });
  }
  return out;
}

/** Each key's own rate limit: a rate limit scoped to exactly that key (the first made). */
export async function keyRateLimits(ctx: TenantContext, keyIds: string[]) {
  const out = new Map<string, { id: string; requests_per_minute: number | null; tokens_per_minute: number | null; cost_per_hour: number | null }>();
  if (!keyIds.length) return out;
  const rows = await ctx.db.kysely
    .selectFrom('rate_limits')
    .selectAll()
    .where('project_id', '=', ctx.actor.projectId)
    .where('scope_api_key_id', 'in', keyIds)
    .where('scope_provider', 'is', null)
    .where('scope_model', 'is', null)
    .where('scope_feature', 'is', null)
    .where('scope_end_user', 'is', null)
    .where('per', 'is', null)
    .orderBy('created_at')
    .execute();
  for (const r of rows) {
    const keyId = r.scope_api_key_id as string;
    if (out.has(keyId)) continue;
    out.set(keyId, { id: r.id, requests_per_minute: r.requests_per_minute, tokens_per_minute: r.tokens_per_minute, cost_per_hour: r.cost_per_hour_nanos === null ? null : nanosToUsd(r.cost_per_hour_nanos) });
  }
  return out;
}
