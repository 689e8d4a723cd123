import type { AppContext } from '../context.js';

/** The project's stored answer under `key`, unless it expired or is older than `maxAgeMs` (the caller's TTL). */
export function findCachedAnswer(ctx: AppContext, input: { projectId: string; key: string; now: number; maxAgeMs: number }) {
  return ctx.db.kysely
    .selectFrom('response_cache')
    .selectAll()
    .where('project_id', '=', input.projectId)
    .where('key', '=', input.key)
    .where('expires_at', '>', input.now)
    .where('created_at', '>', input.now - input.maxAgeMs)
    .executeTakeFirst();
}

export type CachedAnswer = NonNullable<Awaited<ReturnType<typeof findCachedAnswer>>>;
