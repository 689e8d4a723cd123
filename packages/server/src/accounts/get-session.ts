import { AppError, type SessionAnswer } from '@llmlab/core';
import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { getMe } from './get-me.js';

/** A missing, expired or revoked credential means "signed out"; any other failure stays an error. */
export function signedOut(err: unknown): null {
  if (err instanceof AppError && err.code === 'unauthorized') return null;
  throw err;
}

/** Who the caller is, if anyone: the dashboard's probe on load, which a signed-out visitor must pass without a 401. */
export async function getSession({ ctx, actor }: { ctx: AppContext; actor: Actor | null }): Promise<SessionAnswer> {
  // The log-in page shows "Sign in with SSO" from this, before anyone is signed in.
  const sso = { enabled: ctx.config.oidc !== undefined };
  if (!actor) return { authenticated: false, me: null, sso };
  return { authenticated: true, me: await getMe({ ctx: { ...ctx, actor } }), sso };
}
