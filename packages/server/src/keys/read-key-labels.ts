import type { TenantContext } from '../context.js';

export interface KeyLabel {
  name: string;
  prefix: string;
}

/** The name and prefix of the actor's project's keys among `ids` (revoked ones included); another project's keys are not found. */
export async function readKeyLabels({ ctx, input }: { ctx: TenantContext; input: { ids: string[] } }): Promise<Map<string, KeyLabel>> {
  if (input.ids.length === 0) return new Map();
  const rows = await ctx.db.kysely
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix'])
    .where('project_id', '=', ctx.actor.projectId)
    .where('id', 'in', input.ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, prefix: r.prefix }]));
}
