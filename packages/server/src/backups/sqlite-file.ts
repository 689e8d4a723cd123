import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { AppError } from '@llmlab/core';
import type SQLite from 'better-sqlite3';
import { MIGRATION_TABLE, migrationNames } from '../db/database.js';

/** What LLMLab finds in a SQLite database file. */
export interface DatabaseContents {
  events: number;
  /** The migrations applied to it, oldest first. */
  migrations: string[];
  /** Applied migrations this version does not know: the file was written by a newer LLMLab. */
  unknown: string[];
  /** Migrations this version knows that the file lacks: the server applies them when it starts. */
  pending: string[];
}

/** The files SQLite keeps beside a database: the WAL and its index, and a rollback journal. */
export function sidecarsOf(file: string): { wal: string; shm: string; journal: string } {
  return { wal: `${file}-wal`, shm: `${file}-shm`, journal: `${file}-journal` };
}

/** Removes a database file and whatever SQLite kept beside it. */
export function removeDatabaseFiles(file: string): void {
  for (const path of [file, ...Object.values(sidecarsOf(file))]) rmSync(path, { force: true });
}

/** Moves a database file, and each file SQLite kept beside it, to `to` (its sidecars named after it, so SQLite finds them). */
export function moveDatabaseFiles(file: string, to: string): void {
  renameSync(file, to);
  const from = sidecarsOf(file);
  const into = sidecarsOf(to);
  for (const kind of ['wal', 'shm', 'journal'] as const) {
    if (existsSync(from[kind])) renameSync(from[kind], into[kind]);
  }
}

const HEADER = 'SQLite format 3\u0000';

/** The file starts with SQLite's magic header (an empty file does not count: SQLite would take it for a new database). */
export function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === HEADER;
  } finally {
    closeSync(fd);
  }
}

/** Throws unless an open database is LLMLab's: it has the migrations and events tables. */
export function checkLlmlabTables(db: SQLite.Database, label: string): void {
  const tables = new Set(db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[]);
  const missing = [MIGRATION_TABLE, 'events'].filter((t) => !tables.has(t));
  if (missing.length) {
    throw new AppError('validation_failed', `the file ${label} is a SQLite database but not an LLMLab one (it has no ${missing.join(' or ')} table)`);
  }
}

/** Reads what an open database holds; throws when it is not an LLMLab database. */
export async function readContents(db: SQLite.Database, label: string): Promise<DatabaseContents> {
  checkLlmlabTables(db, label);
  const migrations = db.prepare(`select name from ${MIGRATION_TABLE} order by name`).pluck().all() as string[];
  const known = await migrationNames();
  return {
    events: db.prepare('select count(*) from events').pluck().get() as number,
    migrations,
    unknown: migrations.filter((m) => !known.includes(m)),
    pending: known.filter((m) => !migrations.includes(m)),
  };
}

/** A SQLite error on a file that looked like a database: it is damaged (or not a database after all). */
export function damaged(error: unknown, label: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new AppError('validation_failed', `the file ${label} is damaged: ${(error as Error).message}`);
  }
  return error;
}

/** Makes a rename in `dir` durable (a no-op where directories cannot be opened, as on Windows). */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the file itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `2026-11-27T01:15:42.123Z` to `20261127T011542Z`: a timestamp for a file name. */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
