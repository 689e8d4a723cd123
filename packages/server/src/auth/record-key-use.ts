import type { AppContext } from '../context.js';

/** last_used_at answers "is this key still in use?", so a minute's precision is plenty. */
const WRITE_EVERY_MS = 60_000;

/** When this process last wrote each key's last_used_at (and each member's last_seen_at); bounded by their number. */
const lastWritten = new Map<string, number>();

/** Whether `id` was written less than a minute ago; notes it as written now when not. */
function recentlyWritten(id: string, now: number): boolean {
  const last = lastWritten.get(id);
  // abs: a clock set back (tests, NTP) must not silence the key until it catches up.
  if (last !== undefined && Math.abs(now - last) < WRITE_EVERY_MS) return true;
  lastWritten.set(id, now);
  return false;
}

/**
 * Notes that an API key authenticated. The write is at most once a minute per key per process,
 * and it runs after the current request's own work and is never awaited (a failure is logged
 * and forgotten), so ingest pays nothing for it.
 */
export function recordKeyUse(ctx: AppContext, keyId: string): void {
  const now = ctx.now();
  if (recentlyWritten(keyId, now)) return;
  setImmediate(() => {
    ctx.db.kysely
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', keyId)
      // Another process may have written a later use already.
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now)]))
      .execute()
      .catch((err: unknown) => ctx.log.warn('could not record an API key use', { key_id: keyId, error: String(err) }));
  });
}

/** Notes that a member used the org (GET /api/members shows it as last_seen_at), as recordKeyUse does for keys. */
export function recordMemberSeen(ctx: AppContext, orgId: string, userId: string): void {
  const now = ctx.now();
  if (recentlyWritten(`${orgId}/${userId}`, now)) return;
  setImmediate(() => {
    ctx.db.kysely
      .updateTable('memberships')
      .set({ last_seen_at: now })
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', now)]))
      .execute()
      .catch((err: unknown) => ctx.log.warn('could not record a member visit', { org_id: orgId, error: String(err) }));
  });
}
