import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { generateSecret, SESSION_PREFIX, sha256 } from '../auth/secrets.js';
import type { AppContext } from '../context.js';

export const SESSION_TTL_MS = 30 * 24 * 3_600_000;

export async function createSession(ctx: AppContext, userId: string) {
  const token = generateSecret(SESSION_PREFIX);
  const csrfToken = randomBytes(24).toString('base64url');
  const now = ctx.now();
  await ctx.db.kysely
    .insertInto('sessions')
    .values({ id: uuidv7(), user_id: userId, token_hash: sha256(token), csrf_token: csrfToken, created_at: now, expires_at: now + SESSION_TTL_MS, revoked_at: null })
    .execute();
  return { token, csrfToken, expiresAt: now + SESSION_TTL_MS };
}
