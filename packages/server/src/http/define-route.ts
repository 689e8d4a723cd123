import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError, ErrorAnswer, type Role } from '@llmlab/core';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { getCookie } from 'hono/cookie';
import { z, type ZodType } from 'zod';
import type { Actor, Scope } from '../auth/actor.js';
import { authenticate, requireRole, requireScope } from '../auth/authenticate.js';
import type { RequestOrigin } from '../audit/record-audit.js';
import { safeEqual } from '../auth/secrets.js';
import type { AppContext, TenantContext } from '../context.js';
import { fromZodError } from './errors.js';

export const SESSION_COOKIE = 'llmlab_session';
export const CSRF_COOKIE = 'llmlab_csrf';
export const CSRF_HEADER = 'x-llmlab-csrf';

/** The key scope a route needs ('session': no API key may call it), or 'public'. */
export type Auth = Scope | 'public' | 'session';
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type SuccessStatus = 200 | 201;
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429 | 502 | 503;

export interface RouteSpec<Q extends ZodType, P extends ZodType, B extends ZodType, R extends ZodType, A extends Auth> {
  method: Method;
  /** OpenAPI style: /api/budgets/{id}. */
  path: string;
  summary: string;
  tag: string;
  auth: A;
  /**
   * The least role that may call it; every authenticated route declares one (RoleOf makes it
   * required). A session acts with its membership's role, an API key with its creator's role
   * capped by its scopes.
   */
  role?: Role;
  query?: Q;
  params?: P;
  body?: B;
  /** A hand-written check of the body for the hot ingest path: its value, or undefined to parse with `body` as usual. */
  fastBody?: (value: unknown) => z.infer<B> | undefined;
  /**
   * The JSON answer (a schema of core/schemas). The document is built from it and the handler's
   * return type is tied to it; answers are not parsed at run time (the ingest routes are hot),
   * the server's tests check every answer they get against the document instead.
   */
  response: R;
  /** The success status, or every success status the route answers (the first is the default). */
  status?: SuccessStatus | readonly SuccessStatus[];
  /** The route also answers text/csv (GET /api/export?format=csv). */
  csv?: boolean;
  /**
   * Error statuses of the route's own verb with what they mean (replacing the generic meaning);
   * those of validation, authentication and the body limit are added.
   */
  errors?: Partial<Record<ErrorStatus, string>>;
  description?: string;
}

/** An authenticated route must name its least role; a public one has none. */
export type RoleOf<A extends Auth> = A extends 'public' ? { role?: undefined } : { role: Role };

declare const answerBrand: unique symbol;
/** A Response built by the handler whose JSON body is a `T` (see apiJson). */
export type JsonResponse<T> = Response & { readonly [answerBrand]: T };

/** What a handler returns: the answer, or a Response carrying it. */
export type Answer<T> = T | JsonResponse<T> | Promise<T | JsonResponse<T>>;

/** A streamed answer whose rows the handler typed as it wrote them (GET /api/export). */
export function streamedAnswer<T>(res: Response): JsonResponse<T> {
  return res as JsonResponse<T>;
}

type Args<Q, P, B, A> = {
  c: Context;
  ctx: A extends 'public' ? AppContext : TenantContext;
  query: Q;
  params: P;
  body: B;
};

/** What each error status means when the route says nothing more precise. */
const ERROR_MEANINGS: Record<ErrorStatus, string> = {
  400: 'Invalid input: `validation_failed` names the field (details: [{path, message}]), `bad_request` says what is wrong',
  401: 'Missing, invalid or revoked credential',
  403: 'The credential lacks the scope, or a cookie-authenticated write lacks the CSRF header',
  404: 'Not found (for a session, also a project_id outside its orgs)',
  409: 'Conflict',
  410: 'Gone: the link was used, revoked or expired',
  413: 'Request body larger than 5 MB',
  429: 'Too many requests',
  502: 'A target LLMLab called failed',
  503: 'Unavailable: retry after the Retry-After header',
};

/** The error statuses a route can answer: its verb's, plus those of validation, authentication and the body limit. */
function errorStatuses(spec: RouteSpec<ZodType, ZodType, ZodType, ZodType, Auth>): Partial<Record<ErrorStatus, string>> {
  const out: Partial<Record<ErrorStatus, string>> = {};
  if (spec.query || spec.params || spec.body) out[400] = ERROR_MEANINGS[400];
  if (spec.auth !== 'public') Object.assign(out, { 401: ERROR_MEANINGS[401], 403: `${ERROR_MEANINGS[403]}, or the caller's role is below ${spec.role}`, 404: ERROR_MEANINGS[404] });
  if (spec.method !== 'get') out[413] = ERROR_MEANINGS[413];
  return { ...out, ...spec.errors };
}

function documentRoute(app: OpenAPIHono, spec: RouteSpec<ZodType, ZodType, ZodType, ZodType, Auth>): void {
  const statuses = typeof spec.status === 'number' ? [spec.status] : (spec.status ?? [200]);
  const content = { 'application/json': { schema: spec.response }, ...(spec.csv ? { 'text/csv': { schema: z.string() } } : {}) };
  const errors = Object.entries(errorStatuses(spec)).map(([status, description]) => [status, { description, content: { 'application/json': { schema: ErrorAnswer } } }]);
  app.openAPIRegistry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    // OpenAPI 3.1 lets a bearer requirement name the role it needs: here the key scope, or 'session'.
    security: spec.auth === 'public' ? [] : [{ bearer: [spec.auth] }],
    ...(spec.role ? { 'x-llmlab-role': spec.role } : {}),
    request: {
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(spec.params ? { params: spec.params as never } : {}),
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
    },
    responses: {
      ...Object.fromEntries(statuses.map((s) => [s, { description: s === 201 ? 'Created' : 'Success', content }])),
      ...Object.fromEntries(errors),
    },
  });
}

/**
 * One route: documented in the OpenAPI registry and served from the same zod schemas.
 * Validation, authentication, scope and CSRF checks happen here, so handlers only call a verb.
 */
export function defineRoute<Q extends ZodType, P extends ZodType, B extends ZodType, R extends ZodType, A extends Auth>(
  app: OpenAPIHono,
  appCtx: AppContext,
  spec: RouteSpec<Q, P, B, R, A> & RoleOf<A>,
  handler: (args: Args<z.infer<Q>, z.infer<P>, z.infer<B>, A>) => Answer<z.input<R>>,
): void {
  const status = typeof spec.status === 'number' ? spec.status : (spec.status?.[0] ?? 200);
  documentRoute(app, spec as RouteSpec<ZodType, ZodType, ZodType, ZodType, Auth>);
  const honoPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  app.on(spec.method.toUpperCase(), honoPath, async (c) => {
    const query = parse(spec.query, c.req.query(), 'query');
    const params = parse(spec.params, c.req.param(), '');
    const body = spec.body ? parseBody(spec, await readJson(c)) : undefined;
    const ctx = spec.auth === 'public' ? appCtx : { ...appCtx, actor: await resolveActor(appCtx, c, spec.auth as Exclude<Auth, 'public'>, spec.role as Role), origin: requestOrigin(c) };
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

/** The client's address (the socket's peer: no forwarding header is trusted) and user agent. */
export function requestOrigin(c: Context): RequestOrigin {
  let ip: string | null = null;
  try {
    ip = getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no socket.
  }
  return { ip, userAgent: c.req.header('user-agent') ?? null };
}

/** Bearer credential first, else the dashboard's session cookie (whose writes need the CSRF header). */
export async function resolveActor(ctx: AppContext, c: Context, auth: Exclude<Auth, 'public'>, role: Role): Promise<Actor> {
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
  } else if (actor.kind === 'api_key') {
    // A key needs the route's scope; a session is judged by its role alone.
    requireScope(actor, auth);
  }
  requireRole(actor, role);
  return actor;
}
