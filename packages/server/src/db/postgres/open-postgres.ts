import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../storage.js';
import { applyRollupDeltas, rollupDeltas } from '../rollups.js';
import type { Database, EventInsert } from '../schema.js';

// int8 and numeric come back as numbers: every sum we keep fits below 2^53 (~$9M in nanos per row).
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * PostgreSQL: a pool shared by any number of server processes. Events and their rollups are
 * written in one transaction (rollups upserted with `x = x + excluded.x`); locked rows use
 * `SELECT ... FOR UPDATE`.
 */
export function openPostgres(url: string, options: { poolSize?: number }): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // A checked-out client whose server goes away emits 'error' on itself: unhandled, it would crash the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    soleWriter: false,
    writeConcurrency: 1,
    writeEvents: (rows) => kysely.transaction().execute((trx) => insertEventsPostgres(trx, rows)),
    transaction(work, options = {}) {
      const trx = options.snapshot ? kysely.transaction().setIsolationLevel('repeatable read') : kysely.transaction();
      return trx.execute(async (t) => {
        // Blocks other writers of these tables (not readers) until commit; each later statement reads after the lock.
        for (const table of options.exclusive ?? []) await sql`lock table ${sql.table(table)} in share row exclusive mode`.execute(t);
        return work(t);
      });
    },
    forUpdate: (query) => query.forUpdate() as typeof query,
    close: () => kysely.destroy(),
  };
}

async function insertEventsPostgres(trx: Kysely<Database>, rows: EventInsert[]): Promise<Set<string>> {
  const ids = new Set<string>();
  // Sorted so concurrent transactions lock index entries in one order.
  const ordered = [...rows].sort((a, b) => (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0));
  for (let i = 0; i < ordered.length; i += 500) {
    const result = await trx
      .insertInto('events')
      .values(ordered.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['project_id', 'event_id']).doNothing())
      .returning('id')
      .execute();
    for (const r of result) ids.add(r.id);
  }
  await applyRollupDeltas(trx, rollupDeltas(rows.filter((r) => ids.has(r.id))));
  return ids;
}
