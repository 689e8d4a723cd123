import { AppError } from '@llmlab/core';
import { verifyPassword } from '../auth/secrets.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { AppContext } from '../context.js';
import { createSession } from './create-session.js';

// Verifying against a fixed hash when the email is unknown keeps the timing of both failures alike.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function login({ ctx, limiter, input }: { ctx: AppContext; limiter: LoginLimiter; input: { email: string; password: string } }) {
  const email = input.email.trim().toLowerCase();
  const wait = limiter.retryAfter(email, ctx.now());
  if (wait > 0) throw new AppError('rate_limited', `too many failed logins for ${email}; try again in ${wait} seconds`, { retry_after: wait });
  const user = await ctx.db.kysely.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok) {
    limiter.fail(email, ctx.now());
    throw new AppError('unauthorized', 'wrong email or password');
  }
  limiter.succeed(email);
  const membership = await ctx.db.kysely
    .selectFrom('memberships')
    .innerJoin('orgs', 'orgs.id', 'memberships.org_id')
    .select(['orgs.id', 'orgs.name'])
    .where('memberships.user_id', '=', user.id)
    .orderBy('memberships.created_at')
    .executeTakeFirst();
  if (!membership) throw new AppError('forbidden', 'this account is not a member of any org any more; ask an admin of your org for an invitation');
  const project = await ctx.db.kysely
    .selectFrom('projects')
    .select(['id', 'name'])
    .where('org_id', '=', membership.id)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  const session = await createSession(ctx, user.id);
  return {
    token: session.token,
    csrf_token: session.csrfToken,
    user: { id: user.id, email: user.email, name: user.name },
    org: membership,
    project: project ?? null,
  };
}

export async function logout({ ctx, sessionId }: { ctx: AppContext; sessionId: string }) {
  await ctx.db.kysely.updateTable('sessions').set({ revoked_at: ctx.now() }).where('id', '=', sessionId).execute();
}

export async function sessionCsrfToken(ctx: AppContext, sessionId: string): Promise<string | null> {
  const row = await ctx.db.kysely.selectFrom('sessions').select('csrf_token').where('id', '=', sessionId).executeTakeFirst();
  return row?.csrf_token ?? null;
}
