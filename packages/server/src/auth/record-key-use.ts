import type { AppContext } from '../context.js';

/** last_used_at answers "is this key still in use?", so a minute's precision is plenty. */
const WRITE_EVERY_MS = 60_000;

/** When this process last wrote each key's last_used_at; bounded by the number of keys. */
const lastWritten = new Map<string, number>();

/**
 * Notes that an API key authenticated. The write is at most once a minute per key per process,
 * and it runs after the current request's own work and is never awaited (a failure is logged
 * and forgotten), so ingest pays nothing for it.
 */
export function recordKeyUse(ctx: AppContext, keyId: string): void {
  const now = ctx.now();
  const last = lastWritten.get(keyId);
  // abs: a clock set back (tests, NTP) must not silence the key until it catches up.
  if (last !== undefined && Math.abs(now - last) < WRITE_EVERY_MS) return;
  lastWritten.set(keyId, now);
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
