import { AppError, type InvitationAccept, type InvitationPreviewAnswer, type LoginAnswer } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { recordAudit, type RequestOrigin } from '../audit/record-audit.js';
import { hashPassword, sha256, verifyPassword } from '../auth/secrets.js';
import { createSession } from '../accounts/create-session.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { InvitationsTable } from '../db/schema.js';
import { joinOrg } from '../members/join-org.js';

async function invitationOf(ctx: AppContext, token: string): Promise<InvitationsTable> {
  const row = await ctx.db.kysely.selectFrom('invitations').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'this invitation link is not valid: check that it was copied whole');
  return row;
}

/** Refuses with 410 an invitation that was used, revoked or has expired. */
function checkUsable(ctx: AppContext, row: InvitationsTable): void {
  if (row.revoked_at !== null) throw new AppError('gone', 'this invitation was revoked; ask an admin of the org for a new one');
  if (row.accepted_at !== null) throw new AppError('gone', 'this invitation was already used; log in instead');
  if (row.expires_at <= ctx.now()) throw new AppError('gone', 'this invitation expired (they last 7 days); ask an admin of the org for a new one');
}

/** What the accept page shows: the org, the email and role, and whether that email has an account. */
export async function lookupInvitation({ ctx, token }: { ctx: AppContext; token: string }): Promise<InvitationPreviewAnswer> {
  const row = await invitationOf(ctx, token);
  checkUsable(ctx, row);
  const org = await ctx.db.kysely.selectFrom('orgs').select(['id', 'name']).where('id', '=', row.org_id).executeTakeFirstOrThrow();
  const user = await ctx.db.kysely.selectFrom('users').select('id').where('email', '=', row.email).executeTakeFirst();
  return { email: row.email, role: row.role, org, account_exists: user !== undefined, expires_at: new Date(row.expires_at).toISOString() };
}

/** The person accepting: the signed-in user, the account of the invited email (its password), or a new account. */
async function acceptingUser(ctx: AppContext, invitation: InvitationsTable, input: InvitationAccept, signedInUserId: string | null) {
  const db = ctx.db.kysely;
  if (signedInUserId) {
    const user = await db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', signedInUserId).executeTakeFirstOrThrow();
    if (user.email !== invitation.email) {
      throw new AppError('forbidden', `this invitation is for ${invitation.email}, and you are signed in as ${user.email}: sign out and open the link again`);
    }
    return { user, created: false };
  }
  const existing = await db.selectFrom('users').selectAll().where('email', '=', invitation.email).executeTakeFirst();
  if (!input.password) {
    throw new AppError('validation_failed', `password: ${existing ? 'enter the password of your account' : 'choose a password for your new account'} (${invitation.email})`, [{ path: 'password', message: 'required' }]);
  }
  if (existing) {
    if (!(await verifyPassword(input.password, existing.password_hash))) throw new AppError('unauthorized', `wrong password for ${invitation.email}`);
    return { user: { id: existing.id, email: existing.email, name: existing.name }, created: false };
  }
  return { user: { id: uuidv7(), email: invitation.email, name: input.name ?? null }, created: true, passwordHash: await hashPassword(input.password) };
}

/**
 * Accepts an invitation: the person joins the org with the invited role (creating their account
 * when they have none) and gets a session, answered like login. The token is single-use; a
 * second accept by the person who used it answers the same again without a second membership.
 */
export async function acceptInvitation({ ctx, input, signedInUserId, origin }: { ctx: AppContext; input: InvitationAccept; signedInUserId: string | null; origin: RequestOrigin }): Promise<LoginAnswer> {
  const invitation = await invitationOf(ctx, input.token);
  // The person who used the link may open it again (a reload, a double click) and is signed in again.
  if (invitation.accepted_by === null) checkUsable(ctx, invitation);
  const who = await acceptingUser(ctx, invitation, input, signedInUserId);
  if (invitation.accepted_by !== null) {
    const member = await ctx.db.kysely.selectFrom('memberships').select('role').where('org_id', '=', invitation.org_id).where('user_id', '=', who.user.id).executeTakeFirst();
    if (invitation.accepted_by !== who.user.id || !member) checkUsable(ctx, invitation);
  }
  const now = ctx.now();
  if (invitation.accepted_by === null) {
    try {
      await ctx.db.transaction(async (trx) => {
        if (who.created && 'passwordHash' in who) {
          await trx.insertInto('users').values({ id: who.user.id, email: who.user.email, password_hash: who.passwordHash as string, name: who.user.name, created_at: now }).execute();
        }
        // Only one accept wins the token, whatever runs at the same time.
        const taken = await trx
          .updateTable('invitations')
          .set({ accepted_at: now, accepted_by: who.user.id })
          .where('id', '=', invitation.id)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) throw new AppError('gone', 'this invitation was already used or revoked');
        const { role } = await joinOrg(trx, { orgId: invitation.org_id, userId: who.user.id, role: invitation.role, via: 'invitation', now, origin });
        await recordAudit(trx, { orgId: invitation.org_id, who: { type: 'user', id: who.user.id }, origin, now }, {
          action: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, after: { email: invitation.email, role },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', `an account with email ${invitation.email} was just created; open the link again and enter its password`);
      throw err;
    }
  }
  const org = await ctx.db.kysely.selectFrom('orgs').select(['id', 'name']).where('id', '=', invitation.org_id).executeTakeFirstOrThrow();
  const project = await ctx.db.kysely.selectFrom('projects').select(['id', 'name']).where('org_id', '=', org.id).orderBy('created_at').orderBy('id').executeTakeFirst();
  const session = await createSession(ctx, who.user.id);
  return { token: session.token, csrf_token: session.csrfToken, user: who.user, org, project: project ?? null };
}
