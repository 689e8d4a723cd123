import { afterAll, beforeAll } from 'vitest';
import { type FreshDatabase, freshDatabase } from './fresh-database.js';

/**
 * For a suite whose work spans every project of its database (a job that walks all projects):
 * a PostgreSQL database of its own on the cluster of `db.url`, created before the suite and
 * dropped after it, so that suites running at the same time on the shared database neither see
 * its job nor feel it. On SQLite each test app already has its own file: `url` stays undefined.
 * Call it before `useTestApp(target)`, whose app it must outlive.
 */
export function useOwnDatabase(db: { url: string | undefined }): { url: string | undefined } {
  const target: { url: string | undefined } = { url: undefined };
  let own: FreshDatabase | undefined;
  beforeAll(async () => {
    if (!db.url) return;
    own = await freshDatabase(db.url);
    target.url = own.url;
  });
  afterAll(async () => {
    await own?.drop();
  });
  return target;
}
