import type { ExpressionBuilder } from 'kysely';
import type { TenantContext } from '../context.js';
import type { Database } from '../db/schema.js';

export interface UsageFilters {
  provider?: string;
  model?: string;
  feature?: string;
}

/** Rollup rows of the actor's project in [from, to), filtered; the read path's one query shape. */
export function rollupQuery(ctx: TenantContext, from: number, to: number, filters: UsageFilters = {}) {
  return ctx.db.kysely
    .selectFrom('usage_hourly')
    .where('project_id', '=', ctx.actor.projectId)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .$if(filters.provider !== undefined, (q) => q.where('provider', '=', filters.provider as string))
    .$if(filters.model !== undefined, (q) => q.where('model', '=', filters.model as string))
    .$if(filters.feature !== undefined, (q) => q.where('feature', '=', filters.feature === '(none)' ? '' : (filters.feature as string)));
}

/** The query for the project's total spend in nanos in [from, to) matching the filters (one row, `cost`); usable as a subquery. */
export function spendQuery(ctx: TenantContext, from: number, to: number, filters: UsageFilters = {}) {
  return rollupQuery(ctx, from, to, filters).select((eb) => eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost'));
}

/** Total spend in nanos of the project in [from, to) matching the filters. */
export async function spendBetween(ctx: TenantContext, from: number, to: number, filters: UsageFilters = {}): Promise<number> {
  const row = await spendQuery(ctx, from, to, filters).executeTakeFirst();
  return Number(row?.cost ?? 0);
}

/** The summed usage columns of a rollup group, under the names every reader uses. */
export function usageSums(eb: ExpressionBuilder<Database, 'usage_hourly'>) {
  return [
    eb.fn.sum<number>('cost_nanos').as('cost'),
    eb.fn.sum<number>('calls').as('calls'),
    eb.fn.sum<number>('unpriced_calls').as('unpriced'),
    eb.fn.sum<number>('input_tokens').as('input'),
    eb.fn.sum<number>('output_tokens').as('output'),
    eb.fn.sum<number>('cached_input_tokens').as('cached'),
    eb.fn.sum<number>('cache_write_tokens').as('cache_write'),
    eb.fn.sum<number>('reasoning_tokens').as('reasoning'),
  ] as const;
}
