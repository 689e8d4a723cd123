import { AppError } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import { presentProject } from './present-project.js';

export async function listProjects({ ctx }: { ctx: TenantContext }) {
  const rows = await ctx.db.kysely
    .selectFrom('projects')
    .select(['id', 'name', 'created_at', 'retention_days', 'raw_events_since'])
    .where('org_id', '=', ctx.actor.orgId)
    .$if(ctx.actor.kind === 'api_key', (q) => q.where('id', '=', ctx.actor.projectId))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(presentProject);
}

/** A new project in the actor's org; only org owners and admins (a session with the admin scope) create one. */
export async function createProject({ ctx, input }: { ctx: TenantContext; input: { name: string } }) {
  if (!ctx.actor.scopes.has('admin')) throw new AppError('forbidden', 'only org owners and admins create projects');
  const row = { id: uuidv7(), org_id: ctx.actor.orgId, name: input.name, created_at: ctx.now() };
  await ctx.db.transaction(async (trx) => {
    await trx.insertInto('projects').values(row).execute();
    await audit(trx, ctx, { action: 'project.created', targetType: 'project', targetId: row.id, projectId: row.id, after: { name: row.name } });
  });
  return presentProject({ ...row, retention_days: null, raw_events_since: null });
}
