import { AppError, type ProjectPatch } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import { presentProject } from './present-project.js';

/**
 * Renames a project of the actor's org and/or sets how many days it keeps raw events (null:
 * forever). The audit entry names only the fields sent, as they were and as they are. A shorter
 * retention removes nothing by itself: the next retention run does (hourly, or at once with
 * POST /api/admin/retention/apply).
 */
export async function updateProject({ ctx, id, input }: { ctx: TenantContext; id: string; input: ProjectPatch }) {
  return ctx.db.transaction(async (trx) => {
    const before = await ctx.db
      .forUpdate(trx.selectFrom('projects').select(['id', 'name', 'created_at', 'retention_days', 'raw_events_since']).where('id', '=', id).where('org_id', '=', ctx.actor.orgId))
      .executeTakeFirst();
    if (!before) throw new AppError('not_found', `project ${id} not found`);
    const change = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.retention_days !== undefined ? { retention_days: input.retention_days } : {}),
    };
    await trx.updateTable('projects').set(change).where('id', '=', id).where('org_id', '=', ctx.actor.orgId).execute();
    const was = Object.fromEntries(Object.keys(change).map((k) => [k, before[k as keyof typeof change]]));
    await audit(trx, ctx, { action: 'project.updated', targetType: 'project', targetId: id, projectId: id, before: was, after: change });
    return presentProject({ ...before, ...change });
  });
}
