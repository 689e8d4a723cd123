import type { OpenAPIHono } from '@hono/zod-openapi';
import { SessionAnswer } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { defineRoute, resolveActor } from '../http/define-route.js';
import { getSession, signedOut } from './get-session.js';

export function registerAccountRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/session', tag: 'auth', auth: 'public', response: SessionAnswer,
    summary: 'Whether the caller is signed in, and who they are: 200 either way',
    description: 'The dashboard\'s probe on load: a signed-out visitor gets `{authenticated: false, me: null}` rather than a 401 its browser would log as an error. Takes `project_id` as GET /api/me does.',
    errors: { 404: 'project_id names a project outside the signed-in user\'s orgs' },
  }, async ({ c, ctx }) => getSession({ ctx, actor: await resolveActor(ctx, c, 'read').catch(signedOut) }));
}
