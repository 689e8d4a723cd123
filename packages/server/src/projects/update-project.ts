import { AppError } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';

/** Renames a project of the actor's org. */
export async function updateProject({ ctx, id, input }: { ctx: TenantContext; id: string; input: { name: string } }) {
  return ctx.db.transaction(async (trx) => {
    const before = await trx.selectFrom('projects').select(['id', 'name', 'created_at']).where('id', '=', id).where('org_id', '=', ctx.actor.orgId).executeTakeFirst();
    if (!before) throw new AppError('not_found', `project ${id} not found`);
    await trx.updateTable('projects').set({ name: input.name }).where('id', '=', id).execute();
    await audit(trx, ctx, { action: 'project.updated', targetType: 'project', targetId: id, projectId: id, before: { name: before.name }, after: { name: input.name } });
    return { id, name: input.name, created_at: new Date(before.created_at).toISOString() };
  });
}
