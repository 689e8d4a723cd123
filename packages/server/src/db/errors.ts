import pg from 'pg';

/** Driver errors translated here, never by matching message text in a route. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  // PostgreSQL unique_violation; better-sqlite3 constraint codes.
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The database did not answer in time (see withDeadline). */
export class DatabaseTimeout extends Error {
  constructor(ms: number) {
    super(`database did not answer within ${ms} ms`);
    this.name = 'DatabaseTimeout';
  }
}

/** Rejects with DatabaseTimeout after `ms`, so a hung database never holds a caller for long. */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeout(ms)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Socket-level failures reaching the database server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** What pg and its pool throw, without a code, when a connection is lost or cannot be had. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

/**
 * Whether an error is the database failing (unreachable, timed out, refusing, busy, an error of
 * its own), as opposed to an answer (a bad key is an AppError) or a bug in LLMLab (a TypeError
 * is not retried as if the database were down, and is not hidden).
 */
export function isDatabaseFailure(err: unknown): boolean {
  if (err instanceof DatabaseTimeout || err instanceof pg.DatabaseError) return true;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown } | null;
  if (typeof e?.code === 'string' && (e.code.startsWith('SQLITE_') || NETWORK_CODES.has(e.code))) return true;
  if (e?.name === 'SqliteError') return true;
  // Node reports a refused connection to a host with several addresses as an AggregateError.
  if (err instanceof AggregateError) return err.errors.some(isDatabaseFailure);
  return typeof e?.message === 'string' && PG_CONNECTION_MESSAGES.some((m) => (e.message as string).startsWith(m));
}
