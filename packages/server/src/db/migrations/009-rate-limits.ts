import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * Rate limits (requests and tokens a minute, cost an hour) and their counters: one row per
 * limit, metric, window value (an end user, a key, a feature, or '' for one shared window) and
 * 10-second (10-minute for cost) bucket, added to with atomic upserts so that several servers on
 * one PostgreSQL count together. Counters past `expires_at` are swept.
 */
export function up009(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('rate_limits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scope_provider', 'text')
      .addColumn('scope_model', 'text')
      .addColumn('scope_feature', 'text')
      .addColumn('scope_end_user', 'text')
      .addColumn('scope_api_key_id', 'text')
      .addColumn('per', 'text')
      .addColumn('requests_per_minute', t.bigint)
      .addColumn('tokens_per_minute', t.bigint)
      .addColumn('cost_per_hour_nanos', t.bigint)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limits_project').on('rate_limits').column('project_id').execute();
    // No foreign key to rate_limits: a call counting while its limit is deleted must not fail; deletes remove the counters.
    await db.schema
      .createTable('rate_limit_counters')
      .addColumn('limit_id', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('bucket_start', t.bigint, (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('amount', t.bigint, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limit_counters_pk', ['limit_id', 'value', 'metric', 'bucket_start'])
      .execute();
    await db.schema.createIndex('rate_limit_counters_expiry').on('rate_limit_counters').column('expires_at').execute();
  };
}
