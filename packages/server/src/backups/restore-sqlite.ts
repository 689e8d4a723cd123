import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '@llmlab/core';
import SQLite from 'better-sqlite3';
import { type DatabaseContents, damaged, fileStamp, hasSqliteHeader, moveDatabaseFiles, readContents, removeDatabaseFiles, sidecarsOf, syncDirectory } from './sqlite-file.js';

export interface RestoreSummary {
  /** The backup restored, and the database file it now is. */
  backup: string;
  file: string;
  bytes: number;
  events: number;
  /** The last migration applied to the backup; null for a database no migration ran on. */
  schema: string | null;
  /** Migrations the server applies to it when it starts. */
  pending_migrations: string[];
  /** Where the database that was at `file` was moved; null when there was none. */
  kept_aside: string | null;
}

/**
 * Puts the backup `backup` in place as the SQLite database `file`, with no server running on it.
 * The backup (and a WAL beside it, if any) is copied beside the target and checked there: a SQLite
 * database, undamaged, LLMLab's, of a schema this version knows. Then the database at `file`, if
 * any, is moved aside as `<file>.before-restore-<UTC time>`, never deleted, and the copy renamed
 * into its place. A server is detected by its open connections (see settle).
 */
export async function restoreSqlite({ backup, file, now }: { backup: string; file: string; now: number }): Promise<RestoreSummary> {
  const from = resolve(backup);
  const target = resolve(file);
  if (!existsSync(from) || !statSync(from).isFile()) throw new AppError('not_found', `no backup at ${backup}`);
  if (from === target) throw new AppError('validation_failed', `the file ${backup} is the database itself; name a backup file to restore`);
  if (!hasSqliteHeader(from)) throw new AppError('validation_failed', `the file ${backup} is not a SQLite database`);
  mkdirSync(dirname(target), { recursive: true });
  const staged = `${target}.restoring-${process.pid}`;
  removeDatabaseFiles(staged);
  try {
    const contents = await stage(from, staged, backup);
    const keptAside = existsSync(target) ? setAside(target, file, now) : null;
    // Leftovers of a database no longer there would be taken for the restored one's.
    for (const sidecar of Object.values(sidecarsOf(target))) rmSync(sidecar, { force: true });
    renameSync(staged, target);
    syncDirectory(dirname(target));
    return {
      backup,
      file,
      bytes: statSync(target).size,
      events: contents.events,
      schema: contents.migrations.at(-1) ?? null,
      pending_migrations: contents.pending,
      kept_aside: keptAside,
    };
  } catch (error) {
    removeDatabaseFiles(staged);
    throw error;
  }
}

/** Copies the backup to `staged` (its WAL too, so no committed page is lost), checks it, and leaves it as one self-contained file. */
async function stage(from: string, staged: string, label: string): Promise<DatabaseContents> {
  copyFileSync(from, staged);
  if (existsSync(sidecarsOf(from).wal)) copyFileSync(sidecarsOf(from).wal, sidecarsOf(staged).wal);
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(staged, { fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new AppError('validation_failed', `the file ${label} is damaged: ${String(check)}`);
    const contents = await readContents(db, label);
    if (contents.unknown.length) {
      throw new AppError('validation_failed', `the backup ${label} was written by a newer LLMLab (its schema has ${contents.unknown.join(', ')}, which this version does not know); upgrade LLMLab, then restore it`);
    }
    db.pragma('journal_mode = DELETE');
    return contents;
  } catch (error) {
    throw damaged(error, label);
  } finally {
    db?.close();
  }
}

/** Moves the current database and its sidecars to `<file>.before-restore-<stamp>`; answers that name. */
function setAside(target: string, label: string, now: number): string {
  // Once settled the WAL is in the file, and its index (-shm) is left over from the server.
  if (settle(target, label)) rmSync(sidecarsOf(target).shm, { force: true });
  let aside = `${target}.before-restore-${fileStamp(now)}`;
  for (let n = 2; existsSync(aside); n++) aside = `${target}.before-restore-${fileStamp(now)}-${n}`;
  moveDatabaseFiles(target, aside);
  return aside;
}

/**
 * Refuses when a process has the database open: every connection to a WAL database holds a shared
 * lock on the file for as long as it is open, so an exclusive lock is granted only when none is.
 * Holding it, folds the WAL into the file and leaves WAL mode, so that the database is one file;
 * answers whether it did. A file SQLite cannot read is in use by no server, and stays as it is.
 */
function settle(target: string, label: string): boolean {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(target, { fileMustExist: true, timeout: 1000 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    db?.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new AppError('conflict', `a server (or another process) is using ${label}; stop it, then restore`);
    }
    return false;
  }
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    return true;
  } finally {
    // Closed before the files move: a closing connection removes its sidecars by name.
    db.close();
  }
}
