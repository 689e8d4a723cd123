import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { DialectName } from './dialect.js';
import type { Database, EventInsert } from './schema.js';

export interface TransactionOptions {
  /** Every read sees one snapshot of the database (SQLite transactions always do). */
  snapshot?: boolean;
  /** Tables no other transaction may write until this one ends (SQLite transactions always hold the write lock). */
  exclusive?: (keyof Database)[];
}

/**
 * The storage driver: one for SQLite and one for PostgreSQL (under db/), and the only code that
 * knows which one it is. Domain code asks it for what it needs (event writes with their rollups,
 * transactions, locked rows) and builds every other query with Kysely, the same for both.
 */
export interface Db {
  kysely: Kysely<Database>;
  /** Shown by /health and the start log; nothing decides by it. */
  dialect: DialectName;
  /** This process is the database's only writer (a SQLite file), so it may cache rows it alone changes (see OwnedCache). */
  soleWriter: boolean;
  /** How many groups of event writes the driver takes at once (see EventWriter). */
  writeConcurrency: number;
  /** Inserts the rows whose (project_id, event_id) is not stored yet and adds them to their hourly rollups, in one transaction; resolves with the new rows' ids. */
  writeEvents(rows: EventInsert[]): Promise<Set<string>>;
  /** Runs `work` in one transaction, committed when it resolves and rolled back when it throws. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * The query, its rows locked against other transactions' changes until the transaction that runs
   * it ends. With `skipLocked`, rows another transaction holds are left out instead of waited for,
   * so concurrent workers (two servers' retention jobs) take disjoint rows.
   */
  forUpdate<Q extends SelectQueryBuilder<Database, keyof Database, unknown>>(query: Q, options?: { skipLocked?: boolean }): Q;
  close(): Promise<void>;
}
