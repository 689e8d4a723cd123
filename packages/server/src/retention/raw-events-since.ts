import type { TenantContext } from '../context.js';

/** The instant before which retention removed the actor's project's raw events; null when none were. */
export async function readRawEventsSince(ctx: TenantContext): Promise<number | null> {
  const row = await ctx.db.kysely.selectFrom('projects').select('raw_events_since').where('id', '=', ctx.actor.projectId).executeTakeFirst();
  return row?.raw_events_since ?? null;
}

/**
 * What an answer read from raw events over [from, ...) reports as `raw_events_since`: the
 * instant retention removed events before, when the range starts before it (or has no start);
 * null when the answer covers its whole range.
 */
export function coverageOf(since: number | null, from: number | undefined): string | null {
  return since !== null && (from === undefined || from < since) ? new Date(since).toISOString() : null;
}

/** `coverageOf` for the actor's project. */
export async function rawEventsCoverage(ctx: TenantContext, from: number | undefined): Promise<string | null> {
  return coverageOf(await readRawEventsSince(ctx), from);
}
