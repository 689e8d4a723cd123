import { API_SCOPES, type ApiScope, type Role } from '@llmlab/core';
import type { KeyRules } from './key-rules.js';

export const SCOPES = API_SCOPES;
export type Scope = ApiScope;
export type { Role };

/** Who is calling, and the tenant every query of this request is scoped to. */
export interface Actor {
  kind: 'session' | 'api_key';
  orgId: string;
  projectId: string;
  scopes: ReadonlySet<Scope>;
  userId?: string;
  role?: Role;
  sessionId?: string;
  /** The session's CSRF token, checked on cookie-authenticated writes. */
  csrfToken?: string;
  keyId?: string;
  /** The API key's prefix, naming it in the audit log. */
  keyPrefix?: string;
  /** The models and providers the key may call through the proxy; undefined: any. */
  keyRules?: KeyRules;
}

/** The scopes a role may hold, and so the most a key its member makes may have. */
export function scopesForRole(role: Role): Set<Scope> {
  if (role === 'viewer') return new Set(['read']);
  return role === 'member' ? new Set(['ingest', 'read']) : new Set(SCOPES);
}

/** The role a key's scopes amount to: admin scope acts as admin, ingest as member, read alone as viewer. */
export function roleOfScopes(scopes: ReadonlySet<Scope>): Role {
  if (scopes.has('admin')) return 'admin';
  return scopes.has('ingest') ? 'member' : 'viewer';
}
