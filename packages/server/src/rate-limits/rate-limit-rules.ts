import type { RateLimitDimension, RateLimitRule } from '@llmlab/core';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RateLimitsTable } from './tables.js';

/** A stored rate limit as the proxy applies it. */
export function ruleOf(row: RateLimitsTable): RateLimitRule {
  const scope: NonNullable<RateLimitRule['scope']> = {};
  if (row.scope_provider) scope.provider = row.scope_provider;
  if (row.scope_model) scope.model = row.scope_model;
  if (row.scope_feature) scope.feature = row.scope_feature;
  if (row.scope_end_user) scope.end_user = row.scope_end_user;
  if (row.scope_api_key_id) scope.api_key_id = row.scope_api_key_id;
  const limits: RateLimitRule['limits'] = {};
  if (row.requests_per_minute !== null) limits.requests = Number(row.requests_per_minute);
  if (row.tokens_per_minute !== null) limits.tokens = Number(row.tokens_per_minute);
  if (row.cost_per_hour_nanos !== null) limits.cost = Number(row.cost_per_hour_nanos);
  return { id: row.id, name: row.name, scope: Object.keys(scope).length ? scope : null, per: row.per as RateLimitDimension | null, limits };
}

/** The project's rate limits, for its gateway profile. */
export async function loadRateLimits(db: Kysely<Database>, projectId: string): Promise<RateLimitRule[]> {
  const rows = await db.selectFrom('rate_limits').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
  return rows.map(ruleOf);
}
