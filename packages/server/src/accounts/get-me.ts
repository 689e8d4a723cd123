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
    orgs: actor.userId && actor.kind === 'session' ? await listUserOrgs(ctx, actor.userId) : [{ ...org, role: actor.role ?? 'viewer', default_project_id: project.id }],
    auth: actor.kind,
    scopes: [...actor.scopes],
  };
}

/** Every org the user belongs to, with the project the dashboard opens when switching to it (the oldest). */
async function listUserOrgs(ctx: TenantContext, userId: string) {
  const db = ctx.db.kysely;
  const orgs = await db
    .selectFrom('memberships')
    .innerJoin('orgs', 'orgs.id', 'memberships.org_id')
    .select(['orgs.id', 'orgs.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at')
    .orderBy('orgs.id')
    .execute();
  if (orgs.length === 0) return [];
  const projects = await db
    .selectFrom('projects')
    .select(['id', 'org_id'])
    .where('org_id', 'in', orgs.map((o) => o.id))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return orgs.map((o) => ({ id: o.id, name: o.name, role: o.role, default_project_id: projects.find((p) => p.org_id === o.id)?.id ?? null }));
}
