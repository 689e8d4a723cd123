import { AppError, type InvitationAnswer } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import type { AppContext, TenantContext } from '../context.js';
import { actingRole } from '../auth/authenticate.js';
import type { InvitationsTable } from '../db/schema.js';

/** Invitations as listed, with who sent them (null when that person left the org). */
export async function presentInvitation(ctx: AppContext, rows: InvitationsTable[]): Promise<InvitationAnswer[]> {
  const inviterIds = [...new Set(rows.map((r) => r.invited_by).filter((id): id is string => id !== null))];
  const inviters = inviterIds.length ? await ctx.db.kysely.selectFrom('users').select(['id', 'email']).where('id', 'in', inviterIds).execute() : [];
  return rows.map((r) => {
    const by = inviters.find((u) => u.id === r.invited_by);
    return {
      id: r.id,
      email: r.email,
      role: r.role,
      invited_by: by ? { user_id: by.id, email: by.email } : null,
      created_at: new Date(r.created_at).toISOString(),
      expires_at: new Date(r.expires_at).toISOString(),
    };
  });
}

/** The org's pending invitations (not accepted, revoked or expired), newest first. */
export async function listInvitations({ ctx }: { ctx: TenantContext }): Promise<InvitationAnswer[]> {
  const rows = await ctx.db.kysely
    .selectFrom('invitations')
    .selectAll()
    .where('org_id', '=', ctx.actor.orgId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', ctx.now())
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return presentInvitation(ctx, rows);
}

/** Revokes a pending invitation: its link answers 410 from now on. */
export async function revokeInvitation({ ctx, id }: { ctx: TenantContext; id: string }): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    const now = ctx.now();
    const row = await trx.selectFrom('invitations').selectAll().where('id', '=', id).where('org_id', '=', ctx.actor.orgId).executeTakeFirst();
    if (!row || row.accepted_at !== null || row.revoked_at !== null || row.expires_at <= now) throw new AppError('not_found', `no pending invitation ${id} in this org`);
    if (row.role === 'owner' && ctx.actor.role !== 'owner') throw new AppError('forbidden', `only an owner can revoke an invitation to become owner (${actingRole(ctx.actor)})`);
    await trx.updateTable('invitations').set({ revoked_at: now }).where('id', '=', id).execute();
    await audit(trx, ctx, { action: 'invitation.revoked', targetType: 'invitation', targetId: id, before: { email: row.email, role: row.role } });
  });
}
