import type { Kysely } from 'kysely';

/**
 * The API key that sent each event (null when a dashboard session sent it), so spend can be
 * broken down per key. Events stored before this migration have none. No index: the breakdown
 * reads a project's events by time range, which `events_project_ts` already serves, and every
 * index is paid for by each insert on the ingest path.
 */
export function up005() {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('events').addColumn('api_key_id', 'text').execute();
  };
}
