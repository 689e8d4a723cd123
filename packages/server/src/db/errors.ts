/** Driver errors translated here, never by matching message text in a route. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  // PostgreSQL unique_violation; better-sqlite3 constraint codes.
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
