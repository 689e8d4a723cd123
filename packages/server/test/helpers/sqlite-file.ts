import SQLite from 'better-sqlite3';

/**
 * Opens a SQLite file outside any server, runs `work` on it (an integrity check, a doctored
 * backup for a test) and closes it.
 */
export function withSqliteFile<T>(file: string, work: (db: SQLite.Database) => T): T {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}
