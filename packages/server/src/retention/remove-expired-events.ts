import { expiryCutoff, periodWindow } from '@llmlab/core';
import type { Transaction } from 'kysely';
import { needsEvents } from '../budgets/budget-scope.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import '../otlp/tables.js';

/** Rows deleted per statement, each batch its own short transaction. */
export const RETENTION_BATCH_SIZE = 5000;
/** Pause between batches, so ingest waiting for the lock (SQLite's one writer) goes first. */
export const RETENTION_PAUSE_MS = 10;

export interface RetentionOptions {
  batchSize?: number;
  pauseMs?: number;
  /** Stops between two batches (the server is closing); what was removed stays removed. */
  signal?: AbortSignal;
}

export interface RetentionRun {
  /** Raw events this run removed. */
  deleted: number;
  /** Delete statements that removed at least one event. */
  batches: number;
  /** Events before this instant expired; null when the project keeps raw events forever. */
  cutoff: number | null;
  retentionDays: number | null;
}

/**
 * Removes one project's raw events older than its `retention_days` (and the OTLP spans that
 * point to them), oldest first, `batchSize` rows per transaction with a pause between, so that
 * neither SQLite nor PostgreSQL holds one long lock. Hourly rollups are not touched: totals stay
 * exact. The project's `raw_events_since` moves to the cutoff before the first delete, so a
 * reader (or the rollup check) never sees events missing after the instant it reports. Several
 * runs at once are safe: on PostgreSQL each batch locks its rows and skips those another run
 * holds, and each run counts only the rows its own deletes removed. `onLastBatch` runs inside the
 * last batch's transaction when the run removed anything (the manual apply's audit entry).
 */
export async function removeExpiredEvents({
  db,
  input,
  onLastBatch,
}: {
  db: Db;
  input: { projectId: string; now: number } & RetentionOptions;
  onLastBatch?: (trx: Transaction<Database>, run: RetentionRun) => Promise<void>;
}): Promise<RetentionRun> {
  const { projectId, batchSize = RETENTION_BATCH_SIZE, pauseMs = RETENTION_PAUSE_MS, signal } = input;
  const project = await db.kysely.selectFrom('projects').select('retention_days').where('id', '=', projectId).executeTakeFirst();
  const retentionDays = project?.retention_days ?? null;
  if (retentionDays === null) return { deleted: 0, batches: 0, cutoff: null, retentionDays };
  const cutoff = expiryCutoff(input.now, retentionDays, await eventBudgetPeriodStarts(db, projectId, input.now));
  const run: RetentionRun = { deleted: 0, batches: 0, cutoff, retentionDays };
  const expired = await db.kysely.selectFrom('events').select('id').where('project_id', '=', projectId).where('ts', '<', cutoff).limit(1).executeTakeFirst();
  if (!expired) return run;
  await db.kysely
    .updateTable('projects')
    .set({ raw_events_since: cutoff })
    .where('id', '=', projectId)
    .where((eb) => eb.or([eb('raw_events_since', 'is', null), eb('raw_events_since', '<', cutoff)]))
    .execute();
  for (;;) {
    const last = await db.transaction(async (trx) => {
      const rows = await db
        .forUpdate(trx.selectFrom('events').select(['id', 'event_id']).where('project_id', '=', projectId).where('ts', '<', cutoff).orderBy('ts').orderBy('id').limit(batchSize), { skipLocked: true })
        .execute();
      if (rows.length) {
        const removed = await trx.deleteFrom('events').where('project_id', '=', projectId).where('id', 'in', rows.map((r) => r.id)).executeTakeFirst();
        await trx.deleteFrom('otlp_call_spans').where('project_id', '=', projectId).where('event_id', 'in', rows.map((r) => r.event_id)).execute();
        const n = Number(removed.numDeletedRows);
        run.deleted += n;
        if (n > 0) run.batches++;
      }
      const done = rows.length < batchSize || Boolean(signal?.aborted);
      if (done && run.deleted > 0 && onLastBatch) await onLastBatch(trx, run);
      return done;
    });
    if (last) return run;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** Starts of the current periods of the project's budgets whose spend is read from raw events. */
async function eventBudgetPeriodStarts(db: Db, projectId: string, now: number): Promise<number[]> {
  const budgets = await db.kysely
    .selectFrom('budgets')
    .select(['period', 'timezone', 'scope_end_user', 'scope_api_key_id', 'scope_tags', 'per'])
    .where('project_id', '=', projectId)
    .execute();
  return budgets.filter(needsEvents).map((b) => periodWindow(b.period, now, b.timezone).start);
}
