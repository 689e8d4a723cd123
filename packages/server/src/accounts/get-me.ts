import type { TenantContext } from '../context.js';

export async function getMe({ ctx }: { ctx: TenantContext }) {
  const { actor } = ctx;
  const db = ctx.db.kysely;
  const org = await db.selectFrom('orgs').select(['id', 'name']).where('id', '=', actor.orgId).executeTakeFirstOrThrow();
  const project = await db
    .selectFrom('projects')
    .select(['id', 'name', 'created_at'])
    .where('id', '=', actor.projectId)
    .where('org_id', '=', actor.orgId)
    .executeTakeFirstOrThrow();
  const projects =
    actor.kind === 'session'
      ? await db.selectFrom('projects').select(['id', 'name', 'created_at']).where('org_id', '=', actor.orgId).orderBy('created_at').orderBy('id').execute()
      : [project];
  const user = actor.userId
    ? await db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', actor.userId).executeTakeFirst()
    : null;
  return {
    user: user ?? null,
    org,
    project,
    projects,
    role: actor.role ?? null,
    auth: actor.kind,
    scopes: [...actor.scopes],
  };
}
