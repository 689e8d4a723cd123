import { audit } from '../audit/record-audit.js';
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
  const projectId = ctx.actor.projectId;
  await ctx.db.transaction(async (trx) => {
    const current = await ctx.db.forUpdate(trx.selectFrom('gateway_settings').select('fail_mode').where('project_id', '=', projectId)).executeTakeFirst();
    await trx
      .insertInto('gateway_settings')
      .values({ project_id: projectId, fail_mode: input.fail_mode, updated_at: now })
      .onConflict((oc) => oc.column('project_id').doUpdateSet({ fail_mode: input.fail_mode, updated_at: now }))
      .execute();
    await audit(trx, ctx, { action: 'gateway_settings.updated', targetType: 'gateway_settings', targetId: projectId, projectId, before: { fail_mode: current?.fail_mode ?? 'open' }, after: { fail_mode: input.fail_mode } });
  });
  return { fail_mode: input.fail_mode };
}
