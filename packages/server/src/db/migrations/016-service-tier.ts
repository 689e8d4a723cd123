import { type Kysely, sql } from 'kysely';
import { type DialectName, dialectTypes } from '../dialect.js';

const KEY = ['project_id', 'hour', 'provider', 'model', 'feature'];
const SUMMED = ['calls', 'error_calls', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos', 'unpriced_calls', 'latency_ms_sum', 'cache_hits', 'saved_nanos'];

/**
 * Service tiers: `events.service_tier` (null when neither the provider nor the caller said, which
 * is priced and counted as standard) and the tier as a key column of the hourly rollups, so the
 * summary splits spend by tier over the whole history. Every stored rollup row is standard, as
 * every stored event is. PostgreSQL adds the column and rebuilds the primary key in place (the
 * migration's transaction holds the table meanwhile); SQLite, which cannot change a primary key,
 * copies the rollups into a new table with the wider key.
 */
export function up016(dialect: DialectName) {
  const t = dialectTypes(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('events').addColumn('service_tier', 'text').execute();
    if (dialect === 'postgres') {
      await db.schema.alterTable('usage_hourly').addColumn('service_tier', 'text', (c) => c.notNull().defaultTo('standard')).execute();
      await db.schema.alterTable('usage_hourly').dropConstraint('usage_hourly_pk').execute();
      await db.schema.alterTable('usage_hourly').addPrimaryKeyConstraint('usage_hourly_pk', ['project_id', 'hour', 'provider', 'model', 'feature', 'service_tier']).execute();
      return;
    }
    let table = db.schema
      .createTable('usage_hourly_016')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('hour', t.bigint, (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('feature', 'text', (c) => c.notNull());
    for (const col of SUMMED) table = table.addColumn(col, t.bigint, (c) => c.notNull().defaultTo(0));
    // Last, as PostgreSQL's added column is: both dialects keep one column order.
    await table
      .addColumn('service_tier', 'text', (c) => c.notNull().defaultTo('standard'))
      .addPrimaryKeyConstraint('usage_hourly_pk', ['project_id', 'hour', 'provider', 'model', 'feature', 'service_tier'])
      .modifyEnd(sql`without rowid`)
      .execute();
    const columns = sql.join([...KEY, ...SUMMED].map((c) => sql.ref(c)));
    await sql`insert into usage_hourly_016 (${columns}) select ${columns} from usage_hourly`.execute(db);
    await db.schema.dropTable('usage_hourly').execute();
    await db.schema.alterTable('usage_hourly_016').renameTo('usage_hourly').execute();
  };
}
