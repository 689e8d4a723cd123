import { randomBytes } from 'node:crypto';
import { AppError } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import type { RequestOrigin } from '../audit/record-audit.js';
import { hashPassword } from '../auth/secrets.js';
import type { OidcConfig } from '../config/config.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { joinOrg } from '../members/join-org.js';
import type { SsoIdentity } from './finish-sign-in.js';

/**
 * Lets a person the identity provider vouched for in: refused unless their email's domain is
 * allowed; otherwise the user with that email (created on a first sign-in), made a member of
 * the SSO org with the default role if they are not one yet. Nothing is written for a refusal.
 */
export async function admitSsoUser({ ctx, input }: { ctx: AppContext; input: { settings: OidcConfig; identity: SsoIdentity; origin?: RequestOrigin } }) {
  const { settings, identity } = input;
  const domain = identity.email.slice(identity.email.lastIndexOf('@') + 1);
  if (!settings.allowedDomains.includes(domain)) {
    throw new AppError('forbidden', `single sign-on is open to addresses at ${settings.allowedDomains.join(', ')}; ${identity.email} is not one`);
  }
  const org = await orgToJoin(ctx, settings);
  const known = await ctx.db.kysely.selectFrom('users').select('id').where('email', '=', identity.email).executeTakeFirst();
  // A password nobody knows: the account signs in through SSO only, until its owner sets one.
  const passwordHash = known ? null : await hashPassword(randomBytes(32).toString('base64url'));
  const admit = () =>
    ctx.db.transaction(async (trx) => {
      const now = ctx.now();
      let userId = (await trx.selectFrom('users').select('id').where('email', '=', identity.email).executeTakeFirst())?.id;
      if (!userId) {
        userId = uuidv7();
        const hash = passwordHash ?? (await hashPassword(randomBytes(32).toString('base64url')));
        await trx.insertInto('users').values({ id: userId, email: identity.email, password_hash: hash, name: identity.name, created_at: now }).execute();
      }
      const membership = await joinOrg(trx, { orgId: org.id, userId, role: settings.defaultRole, via: 'sso', now, origin: input.origin });
      return { userId, ...membership };
    });
  let result: Awaited<ReturnType<typeof admit>>;
  try {
    result = await admit();
  } catch (err) {
    // Two first sign-ins of one person at once: the other created the user (or the membership); this one joins what it made.
    if (!isUniqueViolation(err)) throw err;
    result = await admit();
  }
  if (result.joined) ctx.log.info('single sign-on: a user joined the org', { email: identity.email, org_id: org.id, role: result.role });
  return { userId: result.userId, orgId: org.id, projectId: org.projectId };
}

/** LLMLAB_OIDC_ORG_ID, else the oldest org; with the project the dashboard opens first there (its oldest). */
async function orgToJoin(ctx: AppContext, settings: OidcConfig): Promise<{ id: string; projectId: string | null }> {
  let query = ctx.db.kysely.selectFrom('orgs').select('id');
  query = settings.orgId ? query.where('id', '=', settings.orgId) : query.orderBy('created_at').orderBy('id').limit(1);
  const org = await query.executeTakeFirst();
  if (!org) {
    throw new AppError(
      'conflict',
      settings.orgId ? `LLMLAB_OIDC_ORG_ID names no org (${settings.orgId}); ask the LLMLab operator to fix it` : 'there is no org to join yet: sign up first with email and password, then sign in with SSO',
    );
  }
  const project = await ctx.db.kysely.selectFrom('projects').select('id').where('org_id', '=', org.id).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return { id: org.id, projectId: project?.id ?? null };
}
