import { AppError } from '@llmlab/core';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../test/helpers/pg-cluster.js';
import { DatabaseTimeout, isDatabaseFailure, withDeadline } from './errors.js';

describe('isDatabaseFailure', () => {
  it('recognises what a database that is down, slow or failing throws', async () => {
    // A PostgreSQL nobody listens on: the driver's own connection error.
    const client = new pg.Client({ host: '127.0.0.1', port: await freePort(), user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
    const refused = await client.connect().catch((e: unknown) => e);
    expect(isDatabaseFailure(refused)).toBe(true);
    // SQLite's own error.
    const sqlite = new SQLite(':memory:');
    const broken = (() => {
      try {
        sqlite.prepare('select * from no_such_table').all();
      } catch (e) {
        return e;
      }
    })();
    expect(isDatabaseFailure(broken)).toBe(true);
    // An error PostgreSQL answered with, and a deadline that passed.
    expect(isDatabaseFailure(new pg.DatabaseError('canceling statement due to statement timeout', 0, 'error'))).toBe(true);
    const late = await withDeadline(new Promise(() => {}), 10).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(DatabaseTimeout);
    expect(isDatabaseFailure(late)).toBe(true);
  });

  it('does not take an answer or a bug for a database failure', () => {
    expect(isDatabaseFailure(new AppError('unauthorized', 'invalid API key'))).toBe(false);
    expect(isDatabaseFailure(new TypeError("Cannot read properties of undefined (reading 'projectId')"))).toBe(false);
    expect(isDatabaseFailure(new RangeError('Invalid time value'))).toBe(false);
    expect(isDatabaseFailure('a string')).toBe(false);
    expect(isDatabaseFailure(null)).toBe(false);
  });
});
