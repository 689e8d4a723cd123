import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.js';
import { SqliteWriterThread } from '../events/sqlite-writer.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

// int8 and numeric come back as numbers: every sum we keep fits below 2^53 (~$9M in nanos per row).
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** The SQLite handle, for the one hot path that writes without the query builder (event ingest). */
  sqlite?: SQLite.Database;
  /** Event ingest's own thread and connection, for a SQLite file (see SqliteWriterThread). */
  eventThread?: SqliteWriterThread;
  close(): Promise<void>;
}

/** Opens the database named by a `sqlite:` or `postgres://` URL. */
export function openDatabase(url: string, options: { poolSize?: number; eventThread?: boolean } = {}): Db {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const memory = file === ':memory:' || file === '';
    if (!memory) mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new SQLite(memory ? ':memory:' : file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('cache_size = -65536');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    const eventThread = memory || options.eventThread === false ? undefined : new SqliteWriterThread(resolve(file));
    return {
      kysely,
      dialect: 'sqlite',
      sqlite,
      eventThread,
      async close() {
        await eventThread?.close();
        await kysely.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // A checked-out client whose server goes away emits 'error' on itself: unhandled, it would crash the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
}

/**
 * Kysely prepares every query anew; preparing is most of a small query's cost on SQLite, and
 * the app sends the same few hundred SQL texts, so prepared statements are kept and reused.
 * Kysely's `begin` becomes `begin immediate`: a transaction takes the write lock when it starts
 * (waiting for the event writer's thread if need be) instead of when it first writes, when a
 * commit by the other connection since its first read would fail it with SQLITE_BUSY.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (sql: string) => {
          let stmt = cache.get(sql);
          if (!stmt) {
            if (cache.size >= 1000) cache.clear();
            stmt = target.prepare(sql === 'begin' ? 'begin immediate' : sql);
            cache.set(sql, stmt);
          }
          return stmt;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: migrationProvider(db.dialect),
    migrationTableName: 'llmlab_migrations',
    migrationLockTableName: 'llmlab_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`);
  }
}
