import type { AppContext, TenantContext } from '../context.js';

export type FailMode = 'open' | 'closed';

/**
 * What the proxy does when LLMLab's database is unreachable: `open` (the default) forwards the
 * call and buffers its usage; `closed` answers 503 in the provider's format.
 */
export async function readFailMode(ctx: AppContext, projectId: string): Promise<FailMode> {
  const row = await ctx.db.kysely.selectFrom('gateway_settings').select('fail_mode').where('project_id', '=', projectId).executeTakeFirst();
  return row?.fail_mode ?? 'open';
}

export async function getGatewaySettings({ ctx }: { ctx: TenantContext }) {
  return { fail_mode: await readFailMode(ctx, ctx.actor.projectId) };
}

export async function updateGatewaySettings({ ctx, input }: { ctx: TenantContext; input: { fail_mode: FailMode } }) {
  const now = ctx.now();
  await ctx.db.kysely
    .insertInto('gateway_settings')
    .values({ project_id: ctx.actor.projectId, fail_mode: input.fail_mode, updated_at: now })
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ fail_mode: input.fail_mode, updated_at: now }))
    .execute();
  return { fail_mode: input.fail_mode };
}
