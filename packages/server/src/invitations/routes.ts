import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreatedInvitationAnswer, InvitationAccept, InvitationInput, InvitationListAnswer, InvitationPreviewAnswer, LoginAnswer, SuccessAnswer } from '@llmlab/core';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { setSessionCookies } from '../accounts/session-cookies.js';
import { readSession } from '../accounts/read-session.js';
import { AppError } from '@llmlab/core';
import { safeEqual } from '../auth/secrets.js';
import type { AppContext } from '../context.js';
import { CSRF_HEADER, defineRoute, requestOrigin, SESSION_COOKIE } from '../http/define-route.js';
import { acceptInvitation, lookupInvitation } from './accept-invitation.js';
import { createInvitation } from './create-invitation.js';
import { listInvitations, revokeInvitation } from './list-invitations.js';

/** The signed-in user of a public request, if any: a bearer session token, or the cookie with its CSRF header. */
async function signedInUser(ctx: AppContext, c: Context): Promise<string | null> {
  const bearer = c.req.header('authorization')?.match(/^Bearer\s+(llms_\S+)$/i)?.[1];
  const cookie = bearer ? undefined : getCookie(c, SESSION_COOKIE);
  const token = bearer ?? cookie;
  if (!token) return null;
  const session = await readSession(ctx, token);
  if (!session) return null;
  if (cookie && !safeEqual(c.req.header(CSRF_HEADER) ?? '', session.csrfToken)) {
    throw new AppError('forbidden', `missing or wrong ${CSRF_HEADER} header for a cookie-authenticated write`);
  }
  return session.userId;
}

export function registerInvitationRoutes(app: OpenAPIHono, ctx: AppContext) {
  const tag = 'members';
  defineRoute(app, ctx, {
    method: 'post', path: '/api/invitations', tag, summary: 'Invite a person into the org by email, with a role', auth: 'admin', role: 'admin', body: InvitationInput, response: CreatedInvitationAnswer, status: 201,
    description: 'Answers the single-use link (`invite_url`, valid 7 days, shown this once); with SMTP configured it is also emailed. A pending invitation to the same email is replaced. Only an owner invites an owner.',
    errors: { 403: "The caller's role is below admin, or an admin invites an owner", 409: 'The person is already a member' },
  }, ({ c, ctx, body }) => createInvitation({ ctx, input: body, baseUrl: ctx.config.publicUrl ?? new URL(c.req.url).origin }));
  defineRoute(app, ctx, { method: 'get', path: '/api/invitations', tag, summary: 'Pending invitations, newest first', auth: 'admin', role: 'admin', response: InvitationListAnswer }, async ({ ctx }) => ({ invitations: await listInvitations({ ctx }) }));
  defineRoute(app, ctx, { method: 'delete', path: '/api/invitations/{id}', tag, summary: 'Revoke a pending invitation; its link stops working', auth: 'admin', role: 'admin', params: z.object({ id: z.string().min(1).max(64) }), response: SuccessAnswer, errors: { 404: 'No pending invitation with this id in the org' } }, async ({ ctx, params }) => {
    await revokeInvitation({ ctx, id: params.id });
    return { success: true } as const;
  });
  defineRoute(app, ctx, {
    method: 'get', path: '/api/invitations/lookup', tag, summary: 'What an invitation link invites to (for the accept page)', auth: 'public', query: z.object({ token: z.string().min(1).max(200) }), response: InvitationPreviewAnswer,
    errors: { 404: 'The token is not an invitation', 410: 'The invitation was used, revoked or has expired' },
  }, ({ ctx, query }) => lookupInvitation({ ctx, token: query.token }));
  defineRoute(app, ctx, {
    method: 'post', path: '/api/invitations/accept', tag, summary: 'Accept an invitation: join the org (creating the account if needed) and sign in', auth: 'public', body: InvitationAccept, response: LoginAnswer,
    description: 'A new person sends `password` (and `name`) to create their account; a person with an account sends its password, or only the token when signed in (a bearer session, or the session cookie with x-llmlab-csrf). Answers like login and sets the session cookies.',
    errors: { 401: 'Wrong password for the existing account', 403: 'Signed in as another email than the invitation\'s', 404: 'The token is not an invitation', 409: 'The account was created at the same moment by another request', 410: 'The invitation was used, revoked or has expired' },
  }, async ({ c, ctx, body }) => {
    const result = await acceptInvitation({ ctx, input: body, signedInUserId: await signedInUser(ctx, c), origin: requestOrigin(c) });
    setSessionCookies(c, ctx, result.token, result.csrf_token);
    return result;
  });
}
