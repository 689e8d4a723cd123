import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@llmlab/core';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z, type ZodType } from 'zod';
import type { Actor, Scope } from '../auth/actor.js';
import { authenticate, requireScope } from '../auth/authenticate.js';
import { safeEqual } from '../auth/secrets.js';
import type { AppContext, TenantContext } from '../context.js';
import { fromZodError } from './errors.js';

export const SESSION_COOKIE = 'llmlab_session';
export const CSRF_COOKIE = 'llmlab_csrf';
export const CSRF_HEADER = 'x-llmlab-csrf';

export type Auth = Scope | 'public' | 'session';
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec<Q extends ZodType, P extends ZodType, B extends ZodType, A extends Auth> {
  method: Method;
  /** OpenAPI style: /api/budgets/{id}. */
  path: string;
  summary: string;
  tag: string;
  auth: A;
  query?: Q;
  params?: P;
  body?: B;
  /** A hand-written check of the body for the hot ingest path: its value, or undefined to parse with `body` as usual. */
  fastBody?: (value: unknown) => z.infer<B> | undefined;
  status?: 200 | 201;
  /** Response media type for the document. */
  produces?: 'application/json' | 'text/csv';
  description?: string;
}

type Args<Q, P, B, A> = {
  c: Context;
  ctx: A extends 'public' ? AppContext : TenantContext;
  query: Q;
  params: P;
  body: B;
};

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

/**
 * One route: documented in the OpenAPI registry and served from the same zod schemas.
 * Validation, authentication, scope and CSRF checks happen here, so handlers only call a verb.
 */
export function defineRoute<Q extends ZodType = ZodType, P extends ZodType = ZodType, B extends ZodType = ZodType, A extends Auth = Auth>(
  app: OpenAPIHono,
  appCtx: AppContext,
  spec: RouteSpec<Q, P, B, A>,
  handler: (args: Args<z.infer<Q>, z.infer<P>, z.infer<B>, A>) => unknown,
): void {
  const status = spec.status ?? 200;
  app.openAPIRegistry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    security: spec.auth === 'public' ? [] : [{ bearer: [] }],
    request: {
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(spec.params ? { params: spec.params as never } : {}),
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
    },
    responses: {
      [status]: {
        description: 'Success',
        content: { [spec.produces ?? 'application/json']: { schema: spec.produces === 'text/csv' ? z.string() : z.looseObject({}) } },
      },
      400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
      ...(spec.auth === 'public' ? {} : {
        401: { description: 'Missing, invalid or revoked credential', content: { 'application/json': { schema: ErrorSchema } } },
        403: { description: 'The credential lacks the scope', content: { 'application/json': { schema: ErrorSchema } } },
      }),
    },
  });
  const honoPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  app.on(spec.method.toUpperCase(), honoPath, async (c) => {
    const query = parse(spec.query, c.req.query(), 'query');
    const params = parse(spec.params, c.req.param(), '');
    const body = spec.body ? parseBody(spec, await readJson(c)) : undefined;
    const ctx = spec.auth === 'public' ? appCtx : { ...appCtx, actor: await resolveActor(appCtx, c, spec.auth as Exclude<Auth, 'public'>) };
    const result = await handler({ c, ctx: ctx as never, query: query as never, params: params as never, body: body as never });
    return result instanceof Response ? result : c.json(result as object, status);
  });
}

function parse(schema: ZodType | undefined, value: unknown, prefix: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw fromZodError(r.error, prefix);
  return r.data;
}

function parseBody(spec: { body?: ZodType; fastBody?: (value: unknown) => unknown }, value: unknown): unknown {
  return spec.fastBody?.(value) ?? parse(spec.body, value, '');
}

async function readJson(c: Context): Promise<unknown> {
  // A body declared as a form or text is refused rather than read as JSON: the client sent something else.
  const type = c.req.header('content-type');
  if (type !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError('bad_request', `send the body as JSON with content-type: application/json (got ${type.slice(0, 100)})`);
  }
  const text = await c.req.text();
  if (text.trim() === '') throw new AppError('bad_request', 'request body is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'request body is not valid JSON');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Bearer credential first, else the dashboard's session cookie (whose writes need the CSRF header). */
export async function resolveActor(ctx: AppContext, c: Context, auth: Exclude<Auth, 'public'>): Promise<Actor> {
  const header = c.req.header('authorization');
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const cookie = bearer ? undefined : getCookie(c, SESSION_COOKIE);
  const credential = bearer ?? cookie;
  if (!credential) throw new AppError('unauthorized', 'missing credential: send "Authorization: Bearer <API key or session token>"');
  const projectId = c.req.query('project_id') ?? c.req.header('x-llmlab-project') ?? undefined;
  const actor = await authenticate(ctx, credential, projectId || undefined);
  if (cookie && !SAFE_METHODS.has(c.req.method)) {
    const sent = c.req.header(CSRF_HEADER) ?? '';
    if (!actor.csrfToken || !safeEqual(sent, actor.csrfToken)) {
      throw new AppError('forbidden', `missing or wrong ${CSRF_HEADER} header for a cookie-authenticated write`);
    }
  }
  if (auth === 'session') {
    if (actor.kind !== 'session') throw new AppError('forbidden', 'this endpoint needs a logged-in user, not an API key');
  } else {
    requireScope(actor, auth);
  }
  return actor;
}
