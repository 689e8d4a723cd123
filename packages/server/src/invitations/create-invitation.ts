import { AppError, type CreatedInvitationAnswer, type InvitationInput } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { audit } from '../audit/record-audit.js';
import { generateSecret, sha256 } from '../auth/secrets.js';
import type { TenantContext } from '../context.js';
import { actingRole } from '../auth/authenticate.js';
import { readActorUser } from '../keys/create-key.js';
import { canSendEmail, sendEmail } from '../mail/send-email.js';
import { presentInvitation } from './list-invitations.js';

export const INVITATION_PREFIX = 'llmi_';
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/**
 * Invites `email` into the actor's org with `role`: a single-use link valid 7 days, its token
 * stored hashed. A pending invitation to the same email is replaced (the old link stops
 * working). With SMTP configured the link is also emailed; the answer holds it either way, once.
 */
export async function createInvitation({ ctx, input, baseUrl }: { ctx: TenantContext; input: InvitationInput; baseUrl: string }): Promise<CreatedInvitationAnswer> {
  const email = input.email.trim().toLowerCase();
  if (input.role === 'owner' && ctx.actor.role !== 'owner') throw new AppError('forbidden', `only an owner can invite an owner (${actingRole(ctx.actor)})`);
  const token = generateSecret(INVITATION_PREFIX);
  const now = ctx.now();
  const row = {
    id: uuidv7(),
    org_id: ctx.actor.orgId,
    email,
    role: input.role,
    token_hash: sha256(token),
    // An admin key invites on behalf of the person who made it.
    invited_by: (await readActorUser(ctx))?.user_id ?? null,
    created_at: now,
    expires_at: now + INVITATION_TTL_MS,
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
  };
  const org = await ctx.db.transaction(async (trx) => {
    const member = await trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.role')
      .where('memberships.org_id', '=', ctx.actor.orgId)
      .where('users.email', '=', email)
      .executeTakeFirst();
    if (member) throw new AppError('conflict', `${email} is already a member of this org (${member.role})`);
    await trx
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('org_id', '=', ctx.actor.orgId)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    await trx.insertInto('invitations').values(row).execute();
    await audit(trx, ctx, { action: 'invitation.created', targetType: 'invitation', targetId: row.id, after: { email, role: input.role, expires_at: new Date(row.expires_at).toISOString() } });
    return trx.selectFrom('orgs').select('name').where('id', '=', ctx.actor.orgId).executeTakeFirstOrThrow();
  });
  const inviteUrl = `${baseUrl.replace(/\/+$/, '')}/invite?token=${token}`;
  let emailed = false;
  if (canSendEmail(ctx)) {
    try {
      await sendEmail(ctx, {
        to: email,
        subject: `You are invited to ${org.name} on LLMLab`,
        text: `You are invited to join ${org.name} on LLMLab as ${input.role}.\n\nAccept within 7 days: ${inviteUrl}\n\nThe link works once.\n`,
      });
      emailed = true;
    } catch (err) {
      // The invitation stands: the admin copies the link from the answer instead.
      ctx.log.warn('could not email an invitation', { invitation_id: row.id, error: String(err) });
    }
  }
  const [invitation] = await presentInvitation(ctx, [row]);
  return { ...invitation, invite_url: inviteUrl, emailed };
}
