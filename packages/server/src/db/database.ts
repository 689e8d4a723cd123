import { Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import { openPostgres } from './postgres/open-postgres.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import type { Db } from './storage.js';

export type { Db, TransactionOptions } from './storage.js';

/** Opens the database named by a `sqlite:` or `postgres://` URL. */
export function openDatabase(url: string, options: { poolSize?: number; eventThread?: boolean } = {}): Db {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), options);
  return openPostgres(url, options);
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
