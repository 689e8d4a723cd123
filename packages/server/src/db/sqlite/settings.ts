/**
 * The settings of every SQLite connection LLMLab opens, the request thread's and the event
 * writer thread's (which receives them): WAL, normal sync (durable at each commit in WAL mode,
 * see docs/deployment.md), a busy timeout, foreign keys and a 64 MB page cache.
 */
export const SQLITE_PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'foreign_keys = ON', 'cache_size = -65536'] as const;

export function applySqliteSettings(sqlite: { pragma(source: string): unknown }): void {
  for (const p of SQLITE_PRAGMAS) sqlite.pragma(p);
}
