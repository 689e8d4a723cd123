import { type Kysely, sql } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

export function up001(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('orgs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('memberships')
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('memberships_pk', ['org_id', 'user_id'])
      .execute();
    await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();
    await db.schema
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('projects_org').on('projects').columns(['org_id', 'created_at']).execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('last_used_at', t.bigint)
      .addColumn('revoked_at', t.bigint)
      .execute();
    await db.schema.createIndex('api_keys_project').on('api_keys').column('project_id').execute();
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addColumn('revoked_at', t.bigint)
      .execute();
    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('ts', t.bigint, (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('input_tokens', t.bigint, (c) => c.notNull())
      .addColumn('output_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cached_input_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cache_write_tokens', t.bigint, (c) => c.notNull())
      .addColumn('reasoning_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cost_nanos', t.bigint)
      .addColumn('price_source', 'text')
      .addColumn('latency_ms', 'integer')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error_type', 'text')
      .addColumn('feature', 'text')
      .addColumn('end_user', 'text')
      .addColumn('environment', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text')
      .addColumn('tags', t.json)
      .addColumn('metadata', t.json)
      .addColumn('received_at', t.bigint, (c) => c.notNull())
      .addUniqueConstraint('events_project_event_id', ['project_id', 'event_id'])
      .execute();
    await db.schema.createIndex('events_project_ts').on('events').columns(['project_id', 'ts', 'id']).execute();
    await db.schema
      .createTable('usage_hourly')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('hour', t.bigint, (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('feature', 'text', (c) => c.notNull())
      .addColumn('calls', t.bigint, (c) => c.notNull())
      .addColumn('error_calls', t.bigint, (c) => c.notNull())
      .addColumn('input_tokens', t.bigint, (c) => c.notNull())
      .addColumn('output_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cached_input_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cache_write_tokens', t.bigint, (c) => c.notNull())
      .addColumn('reasoning_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cost_nanos', t.bigint, (c) => c.notNull())
      .addColumn('unpriced_calls', t.bigint, (c) => c.notNull())
      .addColumn('latency_ms_sum', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_hourly_pk', ['project_id', 'hour', 'provider', 'model', 'feature'])
      // On SQLite the rollup is stored in key order, so a project's time range is one contiguous read.
      .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
      .execute();
    await db.schema
      .createTable('budgets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('amount_nanos', t.bigint, (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('scope_provider', 'text')
      .addColumn('scope_model', 'text')
      .addColumn('scope_feature', 'text')
      .addColumn('thresholds', 'text', (c) => c.notNull())
      .addColumn('alert_threshold', t.real, (c) => c.notNull())
      .addColumn('hard_limit', 'integer', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('budgets_project').on('budgets').column('project_id').execute();
    await db.schema
      .createTable('price_overrides')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('effective_from', t.bigint, (c) => c.notNull())
      .addColumn('input_mtok', t.real)
      .addColumn('output_mtok', t.real)
      .addColumn('cache_read_mtok', t.real)
      .addColumn('cache_write_mtok', t.real)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('price_overrides_org').on('price_overrides').columns(['org_id', 'provider', 'model']).execute();
  };
}
