import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Db } from '../storage.js';
import type { Database } from '../schema.js';
import { insertEventsSqlite } from './event-insert.js';
import { applySqliteSettings } from './settings.js';
import { SqliteWriterThread } from './writer-thread.js';

/**
 * SQLite: one file, this process its only writer. Event ingest runs on its own thread and
 * connection (a file) or in the request thread (in memory); every transaction takes the write
 * lock when it begins, so transactions are serial and a row read in one stays as read.
 */
export function openSqlite(file: string, options: { eventThread?: boolean }): Db {
  const memory = file === ':memory:' || file === '';
  if (!memory) mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new SQLite(memory ? ':memory:' : file);
  applySqliteSettings(sqlite);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const thread = memory || options.eventThread === false ? undefined : new SqliteWriterThread(resolve(file));
  return {
    kysely,
    dialect: 'sqlite',
    soleWriter: true,
    // The thread takes the next group while it commits one (see EventWriter).
    writeConcurrency: thread ? 2 : 1,
    writeEvents: (rows) => (thread ? thread.write(rows) : insertEventsSqlite(kysely, sqlite, rows)),
    transaction: (work) => kysely.transaction().execute(work),
    forUpdate: (query) => query,
    async close() {
      await thread?.close();
      await kysely.destroy();
    },
  };
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
