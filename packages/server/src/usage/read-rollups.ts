import type { TenantContext } from '../context.js';

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

/** Total spend in nanos of the project in [from, to) matching the filters. */
export async function spendBetween(ctx: TenantContext, from: number, to: number, filters: UsageFilters = {}): Promise<number> {
  const row = await rollupQuery(ctx, from, to, filters)
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost'))
    .executeTakeFirst();
  return Number(row?.cost ?? 0);
}
