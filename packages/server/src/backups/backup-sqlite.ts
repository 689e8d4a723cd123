import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppError } from '@llmlab/core';
import SQLite from 'better-sqlite3';
import { checkLlmlabTables, damaged, hasSqliteHeader, readContents, removeDatabaseFiles, sidecarsOf, syncDirectory } from './sqlite-file.js';

export interface BackupSummary {
  /** The database copied, and the copy. */
  file: string;
  out: string;
  bytes: number;
  /** Events in the copy. */
  events: number;
  /** The last migration applied to the copy; null for a database no migration ran on. */
  schema: string | null;
  duration_ms: number;
}

/** Pages per step of the online backup: all of them, in one step. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database `file` to `out` with SQLite's online backup API, while a server may
 * keep writing to it. The copy is made in one step, inside one read transaction: it is the
 * database as of one commit, and in WAL mode writers go on meanwhile. (Smaller steps would restart
 * from the first page after every commit by another process, which under steady ingest might never
 * end.) The copy is written beside `out` and renamed over it once complete, as one file in
 * rollback-journal mode that needs nothing beside it; the server switches it back to WAL.
 */
export async function backupSqlite({ file, out }: { file: string; out: string }): Promise<BackupSummary> {
  const started = performance.now();
  const source = resolve(file);
  const target = resolve(out);
  if (!existsSync(source)) throw new AppError('not_found', `no database at ${file}`);
  if (source === target) throw new AppError('validation_failed', `the backup would replace the database itself (${out}); name another file`);
  if (!hasSqliteHeader(source)) throw new AppError('validation_failed', `the file ${file} is not a SQLite database`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  removeDatabaseFiles(partial);
  try {
    await copyOnline(source, partial, file);
    const contents = await settleCopy(partial, out);
    // A WAL left beside a file this replaces would be replayed into the new one: it goes first.
    for (const sidecar of Object.values(sidecarsOf(target))) rmSync(sidecar, { force: true });
    renameSync(partial, target);
    syncDirectory(dirname(target));
    return {
      file,
      out,
      bytes: statSync(target).size,
      events: contents.events,
      schema: contents.migrations.at(-1) ?? null,
      duration_ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    removeDatabaseFiles(partial);
    throw damaged(error, file);
  }
}

async function copyOnline(source: string, partial: string, label: string): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    checkLlmlabTables(db, label);
    await db.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
}

/** Leaves WAL mode (the page copy kept the source's mode) and reads what the copy holds. */
async function settleCopy(partial: string, label: string) {
  const copy = new SQLite(partial, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    return await readContents(copy, label);
  } finally {
    copy.close();
  }
}
