import { resolve } from 'node:path';
import { loadConfig } from '../config/config.js';

/** Where the server keeps its data: a SQLite file, a PostgreSQL database (backed up with pg_dump), or memory. */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres' } | { kind: 'memory' };

/** The database named by `databaseUrl`, else by DATABASE_URL or its default, as the server would open it. */
export function databaseTarget(databaseUrl?: string): DatabaseTarget {
  // Nothing is signed here, so a placeholder secret keeps loadConfig from creating a secret file.
  const url = databaseUrl ?? loadConfig(undefined, { secret: 'unused: the database is only located' }).databaseUrl;
  if (!url.startsWith('sqlite:')) return { kind: 'postgres' };
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:' || path === '') return { kind: 'memory' };
  return { kind: 'sqlite', file: resolve(path) };
}
