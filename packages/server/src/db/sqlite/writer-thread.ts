import { Worker } from 'node:worker_threads';
import { addContribution, ROLLUP_KEYS, ROLLUP_SUMMED, rollupKeyOf, rollupKeyString } from '../rollup-shape.js';
import type { EventInsert } from '../schema.js';
import { EVENT_COLUMNS, insertEventSql, upsertRollupSql } from './event-insert.js';
import { SQLITE_PRAGMAS } from './settings.js';

/** The numeric columns of an event row; the rest are text or null. */
const NUMERIC = new Set<keyof EventInsert>(['ts', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos', 'latency_ms', 'received_at', 'cache_hit', 'saved_nanos']);
const IS_NUMERIC = EVENT_COLUMNS.map((c) => NUMERIC.has(c));
const NUMERIC_COLUMNS = EVENT_COLUMNS.filter((c) => NUMERIC.has(c));
const TEXT_COLUMNS = EVENT_COLUMNS.filter((c) => !NUMERIC.has(c));

/**
 * Packs one row: its numeric columns into `nums` from `n` on (NaN for null), its text columns
 * onto `strs`, each in EVENT_COLUMNS' order; answers the next `n`. Generated once from the column
 * lists, so the loads are by name (a loop over column names costs about 1 us a row here) and no
 * hand-kept order can bind a value to the wrong column.
 */
const packRow = new Function(
  'row',
  'nums',
  'n',
  'strs',
  `${NUMERIC_COLUMNS.map((c) => `nums[n++] = row.${c} ?? NaN;`).join('\n')}\nstrs.push(${TEXT_COLUMNS.map((c) => `row.${c}`).join(', ')});\nreturn n;`,
) as (row: EventInsert, nums: Float64Array, n: number, strs: (string | null)[]) => number;

interface Reply {
  id: number;
  inserted?: Uint8Array;
  error?: { message: string; code?: string };
}

/** An error from the writer thread, with SQLite's code (SQLITE_BUSY, ...) as better-sqlite3 gives it. */
export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/**
 * Event inserts on their own thread and SQLite connection. The inserts (three indexes and a
 * foreign key per row) are most of a batch's cost, and on the request thread they left the
 * second core idle while JSON, validation and pricing waited; here the next requests are parsed
 * while the previous group commits. Rows go over packed (see write()), with each row's rollup
 * group and contributions computed here, so the thread holds no domain logic: it inserts,
 * notes which rows were new, and adds the new rows' contributions to their hourly rollups, all in
 * one transaction. Only for a SQLite file (an in-memory database has one connection).
 */
export class SqliteWriterThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(inserted: Uint8Array): void; reject(err: Error): void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly file: string) {}

  /** Started on the first write, after migrations have created the tables. */
  private start(): Worker {
    if (this.worker) return this.worker;
    const file = this.file;
    const worker = new Worker(new URL('./writer-thread-worker.mjs', import.meta.url), {
      workerData: { file, pragmas: SQLITE_PRAGMAS, insertSql: insertEventSql(), upsertSql: upsertRollupSql(), summed: ROLLUP_SUMMED.length, numeric: IS_NUMERIC },
    });
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.error) waiter.reject(new SqliteWriteError(reply.error.message, reply.error.code));
      else waiter.resolve(reply.inserted as Uint8Array);
    });
    // A thread that dies fails the writes it held; the next write starts a new one.
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (${code})`)));
    // The thread must not keep the process alive on its own; close() ends it.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Inserts the rows not stored yet and their rollups in one transaction; resolves with the new rows' ids. */
  async write(rows: EventInsert[]): Promise<Set<string>> {
    if (this.closed) throw new Error('the database is closed');
    const worker = this.start();
    const groups: unknown[][] = [];
    const groupOf = new Map<string, number>();
    const rowGroup = new Int32Array(rows.length);
    const sums = new Float64Array(rows.length * ROLLUP_SUMMED.length);
    // Columns travel packed: numbers in one transferred Float64Array (NaN for null), text as one
    // JSON array, so the message is two blocks instead of a thousand small arrays to clone.
    const nums = new Float64Array(rows.length * NUMERIC.size);
    const strs: (string | null)[] = [];
    let n = 0;
    rows.forEach((row, i) => {
      const key = rollupKeyOf(row);
      const id = rollupKeyString(key);
      let g = groupOf.get(id);
      if (g === undefined) {
        g = groups.length;
        groupOf.set(id, g);
        groups.push(ROLLUP_KEYS.map((k) => key[k]));
      }
      rowGroup[i] = g;
      addContribution(row, sums, i * ROLLUP_SUMMED.length);
      n = packRow(row, nums, n, strs);
    });
    const id = this.nextId++;
    const inserted = await new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, count: rows.length, nums, strs: JSON.stringify(strs), groups, rowGroup, sums }, [nums.buffer, rowGroup.buffer, sums.buffer]);
    });
    const ids = new Set<string>();
    for (let i = 0; i < rows.length; i++) if (inserted[i]) ids.add(rows[i].id);
    return ids;
  }

  /** Lets the thread finish what it was given, then closes its connection and ends it. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true });
    await exited;
  }
}
