import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../storage.js';
import type { Database } from '../schema.js';
import { insertEventsPostgres } from './event-insert.js';

// int8 and numeric come back as numbers: every sum we keep fits below 2^53 (~$9M in nanos per row).
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * Groups of event writes in flight at once, each on a backend of its own: with one at a time the
 * database worked on one core while the request thread waited, and batched ingest stayed under
 * half of what a bare loop writing the same rows from four connections reaches. Concurrent groups
 * wait on each other only where they share a rollup key, from its upsert to their commit.
 */
const WRITE_CONCURRENCY = 4;

/**
 * PostgreSQL: a pool shared by any number of server processes. Events and their rollups are
 * written in one transaction (two statements over arrays, see event-insert.ts; rollups upserted
 * with `x = x + excluded.x`); locked rows use `SELECT ... FOR UPDATE`.
 */
export function openPostgres(url: string, options: { poolSize?: number }): Db {
  const poolSize = options.poolSize ?? 10;
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // A checked-out client whose server goes away emits 'error' on itself: unhandled, it would crash the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    soleWriter: false,
    // Two connections stay for the reads of the requests being written (key, price overrides).
    writeConcurrency: Math.max(1, Math.min(WRITE_CONCURRENCY, poolSize - 2)),
    writeEvents: (rows) => kysely.transaction().execute((trx) => insertEventsPostgres(trx, rows)),
    transaction(work, options = {}) {
      const trx = options.snapshot ? kysely.transaction().setIsolationLevel('repeatable read') : kysely.transaction();
      return trx.execute(async (t) => {
        // Blocks other writers of these tables (not readers) until commit; each later statement reads after the lock.
        for (const table of options.exclusive ?? []) await sql`lock table ${sql.table(table)} in share row exclusive mode`.execute(t);
        return work(t);
      });
    },
    forUpdate: (query, lock = {}) => (lock.skipLocked ? query.forUpdate().skipLocked() : query.forUpdate()) as typeof query,
    close: () => kysely.destroy(),
  };
}
