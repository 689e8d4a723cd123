import { HOUR_MS } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { type PeriodicJob, startPeriodicJob } from '../jobs/periodic-job.js';
import { type RetentionOptions, removeExpiredEvents } from './remove-expired-events.js';

/** How often every project with a retention is trimmed. */
export const RETENTION_INTERVAL_MS = HOUR_MS;
/** The first run after start: soon, so servers that restart more often than hourly still run it. */
export const RETENTION_FIRST_RUN_MS = 60_000;

/**
 * One pass over every project that keeps raw events for a limited time: removes its expired
 * ones (see removeExpiredEvents) and logs what it removed. A project that fails is logged and
 * the pass goes on. Answers the events removed in all.
 */
export async function runRetention(ctx: AppContext, options: RetentionOptions = {}): Promise<number> {
  const projects = await ctx.db.kysely.selectFrom('projects').select('id').where('retention_days', 'is not', null).orderBy('id').execute();
  let deleted = 0;
  for (const { id } of projects) {
    if (options.signal?.aborted) break;
    try {
      const run = await removeExpiredEvents({ db: ctx.db, input: { projectId: id, now: ctx.now(), ...options } });
      deleted += run.deleted;
      if (run.deleted > 0) {
        ctx.log.info('retention removed raw events', { project_id: id, deleted: run.deleted, batches: run.batches, removed_before: new Date(run.cutoff as number).toISOString() });
      }
    } catch (err) {
      ctx.log.error('retention failed', { project_id: id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return deleted;
}

/**
 * Runs `runRetention` a minute after start, then hourly. Several server processes on one
 * PostgreSQL may run it at once: they share the work (see removeExpiredEvents). `stop` ends the
 * timer and the run in progress after its current batch.
 */
export function startRetentionScheduler(ctx: AppContext, options: RetentionOptions & { intervalMs?: number; firstRunMs?: number } = {}): PeriodicJob {
  const { intervalMs = RETENTION_INTERVAL_MS, firstRunMs = RETENTION_FIRST_RUN_MS, ...run } = options;
  return startPeriodicJob(ctx, 'retention', (signal) => runRetention(ctx, { ...run, signal }), { intervalMs, firstRunMs });
}
