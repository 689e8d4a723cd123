import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@llmlab/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createSession } from '../accounts/create-session.js';
import { setSessionCookies } from '../accounts/session-cookies.js';
import type { AppContext } from '../context.js';
import { requestOrigin } from '../http/define-route.js';
import { admitSsoUser } from './admit-user.js';
import { ssoErrorPage } from './error-page.js';
import { finishSignIn } from './finish-sign-in.js';
import { FLOW_COOKIE, FLOW_TTL_MS, openFlow, sealFlow } from './flow-cookie.js';
import { issuerClient } from './issuer.js';
import { CALLBACK_PATH, startSignIn } from './start-sign-in.js';

const START_PATH = '/api/auth/sso/start';
/** The flow cookie goes back only to the two SSO routes. */
const FLOW_COOKIE_PATH = '/api/auth/sso';

/**
 * OpenID Connect single sign-on: two pages the browser is sent to, not JSON routes, so they are
 * plain Hono routes (documented by hand below). The flow between them lives in an encrypted
 * cookie, so any server process sharing the database can finish a sign-in another one started.
 */
export function registerSsoRoutes(app: OpenAPIHono, ctx: AppContext): void {
  documentRoutes(app);
  const settings = ctx.config.oidc;
  const issuer = settings ? issuerClient(settings, ctx.log) : null;
  const refused = (c: Context, err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    ctx.log.warn('single sign-on refused', { reason: err.message });
    return ssoErrorPage(c, err);
  };

  app.get(START_PATH, async (c) => {
    if (!issuer) return ssoErrorPage(c, new AppError('not_found', 'single sign-on is not set up on this server (LLMLAB_OIDC_ISSUER)'));
    try {
      const { url, flow } = await startSignIn({ ctx, issuer, input: { requestOrigin: new URL(c.req.url).origin } });
      setCookie(c, FLOW_COOKIE, sealFlow(ctx.config.secret, flow), {
        // Lax: the provider sends the browser back with a top-level GET, which Lax lets the cookie ride along.
        httpOnly: true, sameSite: 'Lax', secure: ctx.config.secureCookies, path: FLOW_COOKIE_PATH, maxAge: FLOW_TTL_MS / 1000,
      });
      return c.redirect(url, 302);
    } catch (err) {
      return refused(c, err);
    }
  });

  app.get(CALLBACK_PATH, async (c) => {
    if (!settings || !issuer) return ssoErrorPage(c, new AppError('not_found', 'single sign-on is not set up on this server (LLMLAB_OIDC_ISSUER)'));
    const flow = openFlow(ctx.config.secret, getCookie(c, FLOW_COOKIE), ctx.now());
    // A flow is good for one answer, whatever that answer is.
    deleteCookie(c, FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
    try {
      const identity = await finishSignIn({ issuer, input: { flow, query: c.req.query() } });
      const user = await admitSsoUser({ ctx, input: { settings, identity, origin: requestOrigin(c) } });
      const session = await createSession(ctx, user.userId);
      setSessionCookies(c, ctx, session.token, session.csrfToken);
      // Open the SSO org's project: a user of several orgs would otherwise land in their first one.
      return c.redirect(user.projectId ? `/?project_id=${encodeURIComponent(user.projectId)}` : '/', 302);
    } catch (err) {
      return refused(c, err);
    }
  });
}

function documentRoutes(app: OpenAPIHono): void {
  const page = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' as const } } } });
  app.openAPIRegistry.registerPath({
    method: 'get', path: START_PATH, tags: ['auth'], security: [],
    summary: 'Sign in with SSO: redirects the browser to the identity provider',
    description: 'For a browser, not an API client: starts an OpenID Connect authorization code flow (PKCE, state and nonce) and sets a short-lived encrypted cookie that the callback checks. See docs/sso.md.',
    responses: {
      302: { description: 'To the identity provider\'s authorization endpoint' },
      404: page('Single sign-on is not set up (LLMLAB_OIDC_ISSUER)'),
      502: page('The identity provider could not be reached'),
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get', path: CALLBACK_PATH, tags: ['auth'], security: [],
    summary: 'Where the identity provider sends the browser back: signs the user in',
    description: 'Checks the state, exchanges the code and verifies the ID token, then admits the user (see docs/sso.md), sets the session and CSRF cookies as POST /api/auth/login does, and redirects to the dashboard. A refusal answers a page saying why.',
    responses: {
      302: { description: 'Signed in: to the dashboard, with the session and CSRF cookies set' },
      400: page('No sign-in started in this browser, it expired, the state does not match, or the identity provider refused'),
      401: page('The code exchange was refused or the ID token failed verification (signature, issuer, audience, expiry, nonce)'),
      403: page('The email is missing, not verified by the provider, or outside LLMLAB_OIDC_ALLOWED_DOMAINS'),
      404: page('Single sign-on is not set up (LLMLAB_OIDC_ISSUER)'),
      409: page('There is no org to join (LLMLAB_OIDC_ORG_ID names none, or no org exists yet)'),
      502: page('The identity provider could not be reached'),
    },
  });
}
