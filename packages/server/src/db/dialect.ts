import { type ColumnDataType, type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * The few places SQLite and PostgreSQL differ, and nowhere else: column types and JSON.
 * Everything else is one Kysely query for both.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface DialectTypes {
  bigint: ColumnDataType;
  json: ColumnDataType;
  real: ColumnDataType;
  /** Raw bytes: bytea on PostgreSQL, blob on SQLite (both read back as a Buffer). */
  bytes: ColumnDataType;
}

export function dialectTypes(dialect: DialectName): DialectTypes {
  return dialect === 'postgres'
    ? { bigint: 'bigint', json: 'jsonb', real: 'double precision', bytes: 'bytea' }
    : { bigint: 'integer', json: 'text', real: 'real', bytes: 'blob' };
}

/** A JSON value as the column stores it (jsonb takes the same text literal as SQLite's text). */
export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** A JSON column's value: already parsed by pg for jsonb, a string on SQLite. */
export function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function dialectOf(db: Kysely<unknown>): DialectName {
  const name = db.getExecutor().adapter.constructor.name;
  return name.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

/** A key of a JSON column as text, for comparing with a string (json_extract on SQLite, ->> on PostgreSQL). */
export function jsonTextField(dialect: DialectName, column: string, key: string): RawBuilder<string | null> {
  return dialect === 'postgres' ? sql<string | null>`${sql.ref(column)}->>${key}` : sql<string | null>`cast(json_extract(${sql.ref(column)}, ${`$."${key.replace(/"/g, '')}"`}) as text)`;
}
