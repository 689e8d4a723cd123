import type { Kysely } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

/**
 * The proxy's response cache: stored answers per project (the raw bytes the provider sent, a JSON
 * body or an event stream, with the usage they reported), the project's cache setting, and on
 * events and their hourly rollups what a cache hit saved.
 */
export function up010(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('events').addColumn('cache_hit', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('events').addColumn('saved_nanos', t.bigint).execute();
    await db.schema.alterTable('usage_hourly').addColumn('cache_hits', t.bigint, (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('usage_hourly').addColumn('saved_nanos', t.bigint, (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('gateway_settings').addColumn('cache_enabled', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('gateway_settings').addColumn('cache_ttl_seconds', t.bigint, (c) => c.notNull().defaultTo(3600)).execute();
    await db.schema
      .createTable('response_cache')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('content_type', 'text')
      .addColumn('body', t.bytes, (c) => c.notNull())
      .addColumn('size_bytes', t.bigint, (c) => c.notNull())
      .addColumn('input_tokens', t.bigint, (c) => c.notNull())
      .addColumn('output_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cached_input_tokens', t.bigint, (c) => c.notNull())
      .addColumn('cache_write_tokens', t.bigint, (c) => c.notNull())
      .addColumn('reasoning_tokens', t.bigint, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('response_cache_pk', ['project_id', 'key'])
      .execute();
    // Oldest first within a project (its size bound, summed from the same index), and over every project (the global bound).
    await db.schema.createIndex('response_cache_project_age').on('response_cache').columns(['project_id', 'created_at', 'size_bytes']).execute();
    await db.schema.createIndex('response_cache_age').on('response_cache').columns(['created_at', 'size_bytes']).execute();
    await db.schema.createIndex('response_cache_expiry').on('response_cache').column('expires_at').execute();
  };
}
