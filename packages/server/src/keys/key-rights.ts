import { AppError, roleAtLeast } from '@llmlab/core';
import { type Scope, scopesForRole } from '../auth/actor.js';
import type { TenantContext } from '../context.js';

/** Refuses scopes above the actor's role: a member makes ingest and read keys only, a viewer none. */
export function checkKeyScopes(ctx: TenantContext, scopes: readonly Scope[]): void {
  const role = ctx.actor.role ?? 'viewer';
  const allowed = scopesForRole(role);
  const above = scopes.filter((s) => !allowed.has(s));
  if (above.length) {
    throw new AppError('forbidden', `a ${role} can make keys with the scopes ${[...allowed].join(' and ')} only; ${above.join(', ')} needs an admin`);
  }
}

/** Below admin, a person revokes only the keys they made. */
export function checkMayRevoke(ctx: TenantContext, key: { created_by: string | null }): void {
  if (ctx.actor.role && roleAtLeast(ctx.actor.role, 'admin')) return;
  if (!ctx.actor.userId || key.created_by !== ctx.actor.userId) {
    throw new AppError('forbidden', `a ${ctx.actor.role ?? 'member'} can revoke only the keys they made; ask an admin to revoke this one`);
  }
}
