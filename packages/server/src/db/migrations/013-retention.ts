import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * Retention of raw events per project: how many days to keep (null: forever), and the instant
 * before which the retention job has removed them (null: none removed), which readers of raw
 * events report and the rollup check stops at. The OTLP spans of an event are removed with it,
 * found by this index instead of a scan of the project's spans per batch.
 */
export function up013(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('projects').addColumn('retention_days', 'integer').execute();
    await db.schema.alterTable('projects').addColumn('raw_events_since', t.bigint).execute();
    await db.schema.createIndex('otlp_call_spans_event').on('otlp_call_spans').columns(['project_id', 'event_id']).execute();
  };
}
