import type { BudgetPer, BudgetScope } from '@llmlab/core';
import type { BudgetsTable } from '../db/schema.js';

type ScopeColumns = Pick<BudgetsTable, 'scope_provider' | 'scope_model' | 'scope_feature' | 'scope_end_user' | 'scope_api_key_id' | 'scope_tags'>;

/** A budget's scope as its columns store it (null: the whole project). */
export function scopeColumns(scope: BudgetScope | null | undefined): ScopeColumns {
  return {
    scope_provider: scope?.provider ?? null,
    scope_model: scope?.model ?? null,
    scope_feature: scope?.feature ?? null,
    scope_end_user: scope?.end_user ?? null,
    scope_api_key_id: scope?.api_key_id ?? null,
    scope_tags: scope?.tags ? JSON.stringify(scope.tags) : null,
  };
}

export function tagsOf(row: Pick<BudgetsTable, 'scope_tags'>): Record<string, string> | undefined {
  return row.scope_tags ? (JSON.parse(row.scope_tags) as Record<string, string>) : undefined;
}

/** A budget's scope as its answer shows it: only the fields it sets, or null for the whole project. */
export function scopeOf(row: BudgetsTable): BudgetScope | null {
  const scope: BudgetScope = {};
  if (row.scope_provider) scope.provider = row.scope_provider;
  if (row.scope_model) scope.model = row.scope_model;
  if (row.scope_feature) scope.feature = row.scope_feature;
  if (row.scope_end_user) scope.end_user = row.scope_end_user;
  if (row.scope_api_key_id) scope.api_key_id = row.scope_api_key_id;
  const tags = tagsOf(row);
  if (tags) scope.tags = tags;
  return Object.keys(scope).length ? scope : null;
}

/**
 * Whether the budget's spend is read from the period's raw events: the hourly rollups know
 * provider, model and feature only, not the end user, the key or the tags, and a template sums
 * per value (indexed by end user and by key, see migration 008).
 */
export function needsEvents(row: Pick<BudgetsTable, 'scope_end_user' | 'scope_api_key_id' | 'scope_tags' | 'per'>): boolean {
  return Boolean(row.scope_end_user || row.scope_api_key_id || row.scope_tags || row.per);
}

/** The events column a template budget is split by. */
export function perColumn(per: BudgetPer): 'end_user' | 'api_key_id' | 'feature' {
  return per === 'api_key' ? 'api_key_id' : per;
}

/** A call as budgets see it. */
export interface BudgetCall {
  provider: string;
  model: string;
  feature?: string;
  endUser?: string;
  apiKeyId?: string;
  tags?: Record<string, string>;
}

/** The value of the template dimension a call counts for; undefined when the call names none (the template does not apply). */
export function valueOfCall(per: BudgetPer, call: BudgetCall): string | undefined {
  if (per === 'end_user') return call.endUser;
  if (per === 'api_key') return call.apiKeyId;
  return call.feature;
}
