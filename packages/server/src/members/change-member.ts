import { AppError, type MemberAnswer, type Role } from '@llmlab/core';
import type { Transaction } from 'kysely';
import { audit } from '../audit/record-audit.js';
import { keyCache } from '../auth/authenticate.js';
import type { TenantContext } from '../context.js';
import { actingRole } from '../auth/authenticate.js';
import type { Database } from '../db/schema.js';
import { listMembers } from './list-members.js';

/**
 * The target's membership, its row locked, after checking the actor may touch it: only an
 * owner changes an owner or makes one. The org's owners are locked too, so two owners demoting
 * each other at once cannot leave the org with none.
 */
async function lockMembership(trx: Transaction<Database>, ctx: TenantContext, userId: string) {
  const rows = await ctx.db
    .forUpdate(trx.selectFrom('memberships').select(['user_id', 'role']).where('org_id', '=', ctx.actor.orgId).where((eb) => eb.or([eb('role', '=', 'owner'), eb('user_id', '=', userId)])))
    .execute();
  const target = rows.find((r) => r.user_id === userId);
  if (!target) throw new AppError('not_found', `member ${userId} not found in this org`);
  const owners = rows.filter((r) => r.role === 'owner').length;
  return { target, owners };
}

function requireOwnerFor(ctx: TenantContext, what: string): void {
  if (ctx.actor.role !== 'owner') throw new AppError('forbidden', `only an owner can ${what} (${actingRole(ctx.actor)})`);
}

/** Changes a member's role. Admins manage members below owner; owners also change owners. */
export async function changeMemberRole({ ctx, userId, role }: { ctx: TenantContext; userId: string; role: Role }): Promise<MemberAnswer> {
  await ctx.db.transaction(async (trx) => {
    const { target, owners } = await lockMembership(trx, ctx, userId);
    if (target.role === 'owner' || role === 'owner') requireOwnerFor(ctx, target.role === 'owner' ? "change an owner's role" : 'make someone an owner');
    if (target.role === role) return;
    if (target.role === 'owner' && owners === 1) throw new AppError('conflict', 'the org must keep at least one owner: make another member owner first');
    await trx.updateTable('memberships').set({ role }).where('org_id', '=', ctx.actor.orgId).where('user_id', '=', userId).execute();
    await audit(trx, ctx, { action: 'member.role_changed', targetType: 'member', targetId: userId, before: { role: target.role }, after: { role } });
  });
  // Keys are capped by their creator's role, which just changed.
  keyCache.forget(ctx.db);
  const member = (await listMembers({ ctx })).find((m) => m.user_id === userId);
  if (!member) throw new AppError('not_found', `member ${userId} not found in this org`);
  return member;
}

/**
 * Removes a member from the org: their sessions lose it at once, and the API keys they made stop
 * working (a key never outlives its creator's membership).
 */
export async function removeMember({ ctx, userId }: { ctx: TenantContext; userId: string }): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    const { target, owners } = await lockMembership(trx, ctx, userId);
    if (target.role === 'owner') requireOwnerFor(ctx, 'remove an owner');
    if (target.role === 'owner' && owners === 1) throw new AppError('conflict', 'the org must keep at least one owner: the last owner cannot leave; make another member owner first');
    const user = await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
    await trx.deleteFrom('memberships').where('org_id', '=', ctx.actor.orgId).where('user_id', '=', userId).execute();
    await audit(trx, ctx, { action: 'member.removed', targetType: 'member', targetId: userId, before: { user_id: userId, email: user?.email ?? null, role: target.role } });
  });
  keyCache.forget(ctx.db);
}
