import type { MemberAnswer, Role } from '@llmlab/core';
import type { TenantContext } from '../context.js';

const ORDER: Record<Role, number> = { owner: 0, admin: 1, member: 2, viewer: 3 };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The org's members: owners first, then by role and by when they joined. */
export async function listMembers({ ctx }: { ctx: TenantContext }): Promise<MemberAnswer[]> {
  const rows = await ctx.db.kysely
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at', 'memberships.last_seen_at'])
    .where('memberships.org_id', '=', ctx.actor.orgId)
    .orderBy('memberships.created_at')
    .orderBy('users.id')
    .execute();
  return rows
    .map((r) => ({ user_id: r.id, email: r.email, name: r.name, role: r.role, joined_at: new Date(r.created_at).toISOString(), last_seen_at: iso(r.last_seen_at) }))
    .sort((a, b) => ORDER[a.role] - ORDER[b.role]);
}
