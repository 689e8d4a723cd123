import { AppError } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { OwnedCache } from '../db/owned-cache.js';
import { preparedQuery } from '../db/prepared-query.js';
import { type Actor, type Role, type Scope, scopesForRole } from './actor.js';
import { recordKeyUse } from './record-key-use.js';
import { API_KEY_PREFIX, SESSION_PREFIX, sha256 } from './secrets.js';

/**
 * Resolves a bearer credential to an Actor. An API key acts for its own project only; a
 * session acts for its user, on `projectId` when given (it must belong to one of the user's
 * orgs) or on the user's first project.
 */
export async function authenticate(ctx: AppContext, credential: string, projectId?: string): Promise<Actor> {
  if (credential.startsWith(API_KEY_PREFIX)) return authenticateKey(ctx, credential, projectId);
  if (credential.startsWith(SESSION_PREFIX)) return authenticateSession(ctx, credential, projectId);
  throw new AppError('unauthorized', 'the credential is neither an LLMLab API key nor a session token');
}

const keyByHash = preparedQuery((db, hash) =>
  db
    .selectFrom('api_keys')
    .innerJoin('projects', 'projects.id', 'api_keys.project_id')
    .select(['api_keys.id', 'api_keys.project_id', 'api_keys.scopes', 'api_keys.revoked_at', 'projects.org_id'])
    .where('api_keys.key_hash', '=', hash),
);

type KeyRow = Awaited<ReturnType<typeof keyByHash>>[number];

/** Keys by hash; dropped by revokeKey (see OwnedCache: SQLite only). */
export const keyCache = new OwnedCache<KeyRow>();

async function authenticateKey(ctx: AppContext, key: string, projectId?: string): Promise<Actor> {
  const hash = sha256(key);
  const row = await keyCache.get(ctx.db, hash, async () => (await keyByHash(ctx.db.kysely, hash))[0]);
  if (!row || row.revoked_at !== null) throw new AppError('unauthorized', 'invalid or revoked API key');
  if (projectId && projectId !== row.project_id) {
    throw new AppError('forbidden', 'this API key belongs to another project');
  }
  recordKeyUse(ctx, row.id);
  return {
    kind: 'api_key',
    keyId: row.id,
    orgId: row.org_id,
    projectId: row.project_id,
    scopes: new Set(row.scopes.split(',') as Scope[]),
  };
}

async function authenticateSession(ctx: AppContext, token: string, projectId?: string): Promise<Actor> {
  const session = await ctx.db.kysely
    .selectFrom('sessions')
    .select(['id', 'user_id', 'expires_at', 'revoked_at', 'csrf_token'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!session || session.revoked_at !== null || session.expires_at <= ctx.now()) {
    throw new AppError('unauthorized', 'session expired or logged out; log in again');
  }
  let query = ctx.db.kysely
    .selectFrom('projects')
    .innerJoin('memberships', 'memberships.org_id', 'projects.org_id')
    .select(['projects.id', 'projects.org_id', 'memberships.role'])
    .where('memberships.user_id', '=', session.user_id);
  query = projectId ? query.where('projects.id', '=', projectId) : query.orderBy('projects.created_at').orderBy('projects.id');
  const project = await query.limit(1).executeTakeFirst();
  if (!project) {
    throw projectId ? new AppError('not_found', `project ${projectId} not found`) : new AppError('forbidden', 'this user has no project');
  }
  return {
    kind: 'session',
    sessionId: session.id,
    csrfToken: session.csrf_token,
    userId: session.user_id,
    orgId: project.org_id,
    projectId: project.id,
    role: project.role as Role,
    scopes: scopesForRole(project.role as Role),
  };
}

/** Throws 403 unless the actor holds `scope`. */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.has(scope)) {
    throw new AppError('forbidden', `this credential lacks the "${scope}" scope`);
  }
}
