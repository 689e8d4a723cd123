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

/** The table in which Kysely's migrator records the name of each migration applied. */
export const MIGRATION_TABLE = 'llmlab_migrations';

/** Kysely's migrator over LLMLab's numbered migrations. */
export function createMigrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: migrationProvider(db.dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'llmlab_migrations_lock',
  });
}

/** The names of the migrations this version of LLMLab knows, in the order they apply (the same on both dialects). */
export async function migrationNames(): Promise<string[]> {
  return Object.keys(await migrationProvider('sqlite').getMigrations()).sort();
}

/**
 * Applies every pending migration; throws with the failing migration's error, or, for a database
 * a newer LLMLab has migrated, says so: this version cannot know what those migrations changed.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const unknown = await unknownMigrations(db);
  if (unknown.length) {
    throw new Error(
      `the database was migrated by a newer LLMLab (it has ${unknown.join(', ')}, which this version does not know): run that version, or restore the backup taken before the upgrade (see docs/operations.md, "Upgrades")`,
    );
  }
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`);
  }
}

/** Migrations recorded in the database that this version does not have. */
async function unknownMigrations(db: Db): Promise<string[]> {
  const tables = await db.kysely.introspection.getTables();
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return [];
  const applied = await db.kysely.withTables<{ llmlab_migrations: { name: string } }>().selectFrom(MIGRATION_TABLE).select('name').execute();
  const known = await migrationNames();
  return applied.map((m) => m.name).filter((name) => !known.includes(name));
}
