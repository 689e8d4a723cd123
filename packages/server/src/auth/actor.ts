import { API_SCOPES, type ApiScope, type Role } from '@llmlab/core';

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
}

export function scopesForRole(role: Role): Set<Scope> {
  return role === 'member' ? new Set(['ingest', 'read']) : new Set(SCOPES);
}
