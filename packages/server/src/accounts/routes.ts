import type { OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, } from 'hono/cookie';
import { Email, LoginAnswer, MeAnswer, Password, SessionAnswer, SignupAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import { LoginLimiter } from '../auth/login-limiter.js';
import type { AppContext } from '../context.js';
import { CSRF_COOKIE, defineRoute, resolveActor, SESSION_COOKIE } from '../http/define-route.js';
import { getMe } from './get-me.js';
import { getSession, signedOut } from './get-session.js';
import { login, logout } from './login.js';
import { setSessionCookies } from './session-cookies.js';
import { signup } from './signup.js';

const SignupBody = z.strictObject({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(100).optional(),
});
const LoginBody = z.strictObject({ email: Email, password: z.string().min(1, { error: 'password is required' }).max(200) });

export function registerAccountRoutes(app: OpenAPIHono, ctx: AppContext) {
  const limiter = new LoginLimiter();
  defineRoute(app, ctx, { method: 'post', path: '/api/auth/signup', tag: 'auth', summary: 'Create an account, its org, a default project and a first API key', auth: 'public', body: SignupBody, response: SignupAnswer, status: 201,
    description: 'The password needs at least 8 characters. Sets the session and CSRF cookies.', errors: { 409: 'An account with this email exists' } }, async ({ c, ctx, body }) => {
    const result = await signup({ ctx, input: body });
    setSessionCookies(c, ctx, result.token, result.csrf_token);
    return result;
  });
  defineRoute(app, ctx, { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Log in; returns a session token and sets the session cookie', auth: 'public', body: LoginBody, response: LoginAnswer,
    errors: { 401: 'Wrong email or password', 429: 'Five failed logins for one email within 15 minutes (per process); Retry-After says when to try again' } }, async ({ c, ctx, body }) => {
    const result = await login({ ctx, limiter, input: body });
    setSessionCookies(c, ctx, result.token, result.csrf_token);
    return result;
  });
  defineRoute(app, ctx, { method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'End the session; its token stops working at once', auth: 'session', role: 'viewer', response: SuccessAnswer }, async ({ c, ctx }) => {
    await logout({ ctx, sessionId: ctx.actor.sessionId as string });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return { success: true } as const;
  });
  defineRoute(app, ctx, { method: 'get', path: '/api/me', tag: 'auth', summary: 'The caller: user, org, current project, projects and scopes', auth: 'read', role: 'viewer', response: MeAnswer }, ({ ctx }) => getMe({ ctx }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/session', tag: 'auth', auth: 'public', response: SessionAnswer,
    summary: 'Whether the caller is signed in, and who they are: 200 either way',
    description: 'The dashboard\'s probe on load: a signed-out visitor gets `{authenticated: false, me: null}` rather than a 401 its browser would log as an error. Takes `project_id` as GET /api/me does.',
    errors: { 404: 'project_id names a project outside the signed-in user\'s orgs' },
  }, async ({ c, ctx }) => getSession({ ctx, actor: await resolveActor(ctx, c, 'read', 'viewer').catch(signedOut) }));
}
