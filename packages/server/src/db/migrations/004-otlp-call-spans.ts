import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * The spans each OTLP event was made from, so that a span of the same call that arrives in a
 * later export (a parent ends after its child) joins that event instead of counting it again.
 */
export function up004(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('otlp_call_spans')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('span_id', 'text', (c) => c.notNull())
      .addColumn('parent_span_id', 'text', (c) => c.notNull())
      .addColumn('response_id', 'text')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('models', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('reported', 'integer', (c) => c.notNull())
      .addColumn('ts', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('otlp_call_spans_pk', ['project_id', 'trace_id', 'span_id'])
      .execute();
  };
}
