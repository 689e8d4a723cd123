import { AppError, lowerRole, roleAtLeast } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { OwnedCache } from '../db/owned-cache.js';
import { preparedQuery } from '../db/prepared-query.js';
import { type Actor, type Role, roleOfScopes, type Scope, scopesForRole } from './actor.js';
import { recordKeyUse, recordMemberSeen } from './record-key-use.js';
import { readSession } from '../accounts/read-session.js';
import { keyRulesOf } from './key-rules.js';
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
    // The creator's membership caps what the key may do: a key never outranks the person who made it.
    .leftJoin('memberships as creator', (j) => j.onRef('creator.user_id', '=', 'api_keys.created_by').onRef('creator.org_id', '=', 'projects.org_id'))
    .select([
      'api_keys.id', 'api_keys.project_id', 'api_keys.name', 'api_keys.prefix', 'api_keys.scopes', 'api_keys.revoked_at', 'api_keys.created_by',
      'api_keys.expires_at', 'api_keys.allowed_models', 'api_keys.allowed_providers', 'projects.org_id', 'creator.role as creator_role',
    ])
    .where('api_keys.key_hash', '=', hash),
);

type KeyRow = Awaited<ReturnType<typeof keyByHash>>[number];

/** Keys by hash; dropped by revokeKey and by every change of a membership (see OwnedCache: SQLite only). */
export const keyCache = new OwnedCache<KeyRow>();

async function authenticateKey(ctx: AppContext, key: string, projectId?: string): Promise<Actor> {
  const hash = sha256(key);
  const row = await keyCache.get(ctx.db, hash, async () => (await keyByHash(ctx.db.kysely, hash))[0]);
  if (!row || row.revoked_at !== null) throw new AppError('unauthorized', 'invalid or revoked API key');
  if (row.expires_at !== null && row.expires_at <= ctx.now()) {
    throw new AppError('unauthorized', `this API key expired at ${new Date(row.expires_at).toISOString()}; ask an admin for a new one`);
  }
  if (row.created_by !== null && row.creator_role === null) {
    throw new AppError('unauthorized', 'this API key stopped working: the person who created it is no longer a member of the org');
  }
  if (projectId && projectId !== row.project_id) {
    throw new AppError('forbidden', 'this API key belongs to another project');
  }
  recordKeyUse(ctx, row.id);
  const granted = new Set(row.scopes.split(',') as Scope[]);
  const creatorRole = row.creator_role as Role | null;
  const allowed = creatorRole ? scopesForRole(creatorRole) : granted;
  const scopes = new Set([...granted].filter((s) => allowed.has(s)));
  return {
    kind: 'api_key',
    keyId: row.id,
    keyPrefix: row.prefix,
    keyRules: keyRulesOf(row),
    orgId: row.org_id,
    projectId: row.project_id,
    scopes,
    role: creatorRole ? lowerRole(creatorRole, roleOfScopes(scopes)) : roleOfScopes(scopes),
  };
}

async function authenticateSession(ctx: AppContext, token: string, projectId?: string): Promise<Actor> {
  const session = await readSession(ctx, token);
  if (!session) throw new AppError('unauthorized', 'session expired or logged out; log in again');
  let query = ctx.db.kysely
    .selectFrom('projects')
    .innerJoin('memberships', 'memberships.org_id', 'projects.org_id')
    .select(['projects.id', 'projects.org_id', 'memberships.role'])
    .where('memberships.user_id', '=', session.userId);
  query = projectId ? query.where('projects.id', '=', projectId) : query.orderBy('projects.created_at').orderBy('projects.id');
  const project = await query.limit(1).executeTakeFirst();
  if (!project) {
    throw projectId ? new AppError('not_found', `project ${projectId} not found`) : new AppError('forbidden', 'this user has no project');
  }
  recordMemberSeen(ctx, project.org_id, session.userId);
  return {
    kind: 'session',
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
    userId: session.userId,
    orgId: project.org_id,
    projectId: project.id,
    role: project.role as Role,
    scopes: scopesForRole(project.role as Role),
  };
}

/** Throws 403 unless the actor's role is `least` or above. */
export function requireRole(actor: Actor, least: Role): void {
  if (!actor.role || !roleAtLeast(actor.role, least)) throw new AppError('forbidden', `this needs the ${least} role (${actingRole(actor)})`);
}

/** How a refusal names the caller's role: "you are member", or "this API key acts as admin" (a key never acts as owner). */
export function actingRole(actor: Actor): string {
  return actor.kind === 'api_key' ? `this API key acts as ${actor.role ?? 'no role'}` : `you are ${actor.role ?? 'not a member'}`;
}

/** Throws 403 unless the actor holds `scope`. */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.has(scope)) {
    throw new AppError('forbidden', `this credential lacks the "${scope}" scope`);
  }
}
