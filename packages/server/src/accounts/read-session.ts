import { sha256 } from '../auth/secrets.js';
import type { AppContext } from '../context.js';

/** The live session a token names (not logged out, not expired), or null. */
export async function readSession(ctx: AppContext, token: string): Promise<{ sessionId: string; userId: string; csrfToken: string } | null> {
  const row = await ctx.db.kysely
    .selectFrom('sessions')
    .select(['id', 'user_id', 'expires_at', 'revoked_at', 'csrf_token'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at <= ctx.now()) return null;
  return { sessionId: row.id, userId: row.user_id, csrfToken: row.csrf_token };
}
