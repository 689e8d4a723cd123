import { existsSync } from 'node:fs';
import { CliError, EXIT_USAGE, usageError } from '../errors.js';
import { loadServerPart } from '../load-server.js';
import { paint } from '../output/colors.js';
import { formatBytes, formatCount, printJson } from '../output/format.js';
import { toDatabaseUrl } from './serve.js';

type Backups = typeof import('@llmlab/server/backups');

export interface BackupOptions {
  out: string;
  db?: string;
  force?: boolean;
  json?: boolean;
}

export interface RestoreOptions {
  db?: string;
  json?: boolean;
}

const loadBackups = (command: string) => loadServerPart(command, '@llmlab/server/backups', () => import('@llmlab/server/backups'));

/** Copies the server's SQLite database to a file while the server keeps running. */
export async function backupDatabase(options: BackupOptions): Promise<void> {
  const backups = await loadBackups('backup');
  const file = sqliteFile(backups, options.db, 'backup');
  if (existsSync(options.out) && !options.force) throw new CliError(`${options.out} already exists; pass --force to replace it.`);
  const done = await serverFailures(() => backups.backupSqlite({ file, out: options.out }));
  if (options.json) return printJson(done);
  const c = paint();
  process.stdout.write(
    `${c.green('✔')} Backed up ${done.file} to ${c.bold(done.out)}: ${formatBytes(done.bytes)}, ${formatCount(done.events)} events, schema ${done.schema ?? 'empty'}, in ${seconds(done.duration_ms)}.\n` +
      `${c.dim('The backup holds the database only: keep the server secret (LLMLAB_SECRET, or the secret file beside the database) as well, since stored provider keys are encrypted with it.')}\n`,
  );
}

/** Puts a backup in place as the server's SQLite database, the server stopped; the database there is kept aside. */
export async function restoreDatabase(backup: string, options: RestoreOptions): Promise<void> {
  const backups = await loadBackups('restore');
  const file = sqliteFile(backups, options.db, 'restore');
  const done = await serverFailures(() => backups.restoreSqlite({ backup, file, now: Date.now() }));
  if (options.json) return printJson(done);
  const c = paint();
  const lines = [`${c.green('✔')} Restored ${done.backup} to ${c.bold(done.file)}: ${formatBytes(done.bytes)}, ${formatCount(done.events)} events, schema ${done.schema ?? 'empty'}.`];
  if (done.kept_aside) lines.push(`The database that was there is kept as ${done.kept_aside}; delete it once the restored one is good.`);
  const pending = done.pending_migrations.length;
  if (pending) lines.push(`The server applies ${pending} newer migration${pending === 1 ? '' : 's'} to it when it starts.`);
  lines.push('Start the server (llmlab serve, or npm start) to use it.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The SQLite file the server would open; a PostgreSQL or in-memory database is a usage error. */
function sqliteFile(backups: Backups, db: string | undefined, command: 'backup' | 'restore'): string {
  let target: ReturnType<Backups['databaseTarget']>;
  try {
    target = backups.databaseTarget(toDatabaseUrl(db));
  } catch (error) {
    // The server's settings (DATABASE_URL and the rest) did not parse: the server would not start either.
    throw new CliError(`The server's settings are not valid: ${(error as Error).message}.`);
  }
  if (target.kind === 'sqlite') return target.file;
  if (target.kind === 'memory') throw usageError(`An in-memory database (sqlite::memory:) has nothing to ${command}; name a SQLite file with --db.`);
  const tool = command === 'backup' ? 'pg_dump' : 'pg_restore';
  throw new CliError(
    `llmlab ${command} works on a SQLite database; this one is PostgreSQL: use ${tool} (or your provider's point-in-time recovery), as docs/operations.md shows.`,
    EXIT_USAGE,
  );
}

/**
 * The server's errors (AppError) as one sentence. Matched by name, not class: the bundled CLI has
 * its own copy of core, so the server's AppError is not this bundle's class.
 */
async function serverFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && error.name === 'AppError') throw new CliError(`${error.message[0].toUpperCase()}${error.message.slice(1)}.`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'ENOSPC') {
      throw new CliError(`${(error as Error).message}; check the folder exists, is writable and has room.`);
    }
    throw error;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
