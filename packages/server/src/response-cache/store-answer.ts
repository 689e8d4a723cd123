import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import type { ResponseCacheTable } from './tables.js';

/** Expired answers are swept, and the bound over every project checked, at most this often per process. */
export const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<Db, number>();

/**
 * Stores an answer (replacing the one under its key), then keeps the project's answers within
 * their bound, oldest first; at most once a minute it also sweeps expired answers and keeps the
 * whole cache within its bound. Several servers on one PostgreSQL may overshoot a bound by the
 * answers they store at the same moment, until their next store.
 */
export async function storeAnswer(ctx: AppContext, entry: ResponseCacheTable): Promise<void> {
  const { kysely } = ctx.db;
  const { project_id, key, ...rest } = entry;
  await kysely
    .insertInto('response_cache')
    .values(entry)
    .onConflict((oc) => oc.columns(['project_id', 'key']).doUpdateSet(rest))
    .execute();
  const limits = ctx.config.responseCache;
  await evictOldest(ctx, limits.maxProjectBytes, project_id);
  const now = ctx.now();
  if (now - (lastSweep.get(ctx.db) ?? Number.NEGATIVE_INFINITY) < SWEEP_EVERY_MS) return;
  lastSweep.set(ctx.db, now);
  await kysely.deleteFrom('response_cache').where('expires_at', '<=', now).execute();
  await evictOldest(ctx, limits.maxBytes);
}

/** Deletes the oldest answers (of one project, or of all) until their bytes are within `maxBytes`. */
async function evictOldest(ctx: AppContext, maxBytes: number, projectId?: string): Promise<void> {
  const db = ctx.db.kysely;
  const sum = await db
    .selectFrom('response_cache')
    .$if(projectId !== undefined, (q) => q.where('project_id', '=', projectId as string))
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size_bytes'), eb.lit(0)).as('bytes'))
    .executeTakeFirst();
  let total = Number(sum?.bytes ?? 0);
  while (total > maxBytes) {
    const oldest = await db
      .selectFrom('response_cache')
      .$if(projectId !== undefined, (q) => q.where('project_id', '=', projectId as string))
      .select(['project_id', 'key', 'size_bytes'])
      .orderBy('created_at')
      .orderBy('key')
      .limit(100)
      .execute();
    if (!oldest.length) return;
    for (const row of oldest) {
      if (total <= maxBytes) return;
      await db.deleteFrom('response_cache').where('project_id', '=', row.project_id).where('key', '=', row.key).execute();
      total -= Number(row.size_bytes);
    }
  }
}
