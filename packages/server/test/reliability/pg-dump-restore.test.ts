import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { databases } from '../helpers/databases.js';
import { type FreshDatabase, freshDatabase } from '../helpers/fresh-database.js';
import { findPgBin } from '../helpers/pg-cluster.js';
import { requireTool } from '../helpers/require-tool.js';
import { type ServerProcess, signupUser, startServerProcess } from '../helpers/server-process.js';
import { clientRuns, startTrackLoad } from '../helpers/track-load.js';
import { exportEvents, rollupCheck } from './ingest-load.js';

const run = promisify(execFile);
const pgUrl = databases().find((d) => d.name === 'postgres')?.url as string;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function database(): Promise<FreshDatabase> {
  const made = await freshDatabase(pgUrl);
  cleanups.push(made.drop);
  return made;
}

async function server(url: string): Promise<ServerProcess> {
  const started = await startServerProcess({ env: { DATABASE_URL: url } });
  cleanups.push(() => started.stop());
  return started;
}

describe('PostgreSQL backups with the commands of docs/operations.md', () => {
  it('pg_dump while the servers ingest, pg_restore into a new database: every event acknowledged before the dump is there', async () => {
    requireTool('postgresql');
    const bin = findPgBin() as string;
    const source = await database();
    const live = await server(source.url);
    const user = await signupUser(live.baseUrl);
    const tracking = startTrackLoad(live.baseUrl, user.apiKey, 4);
    await tracking.reached(200);
    const before = tracking.snapshot();
    const dir = mkdtempSync(join(tmpdir(), 'llmlab-pg-dump-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const dump = join(dir, 'llmlab.dump');
    await run(join(bin, 'pg_dump'), ['--format=custom', `--file=${dump}`, source.url]);
    const after = tracking.snapshot();
    const { sent } = await tracking.stop();
    expect(after.size).toBeGreaterThan(before.size);

    const target = await database();
    await run(join(bin, 'pg_restore'), [`--dbname=${target.url}`, '--no-owner', '--exit-on-error', '--single-transaction', dump]);
    const restored = await server(target.url);
    const present = (await exportEvents(restored.baseUrl, user.apiKey)).map((e) => e.event_id);
    expect([...before].filter((id) => !present.includes(id))).toEqual([]);
    expect(present.filter((id) => !sent.has(id))).toEqual([]);
    // pg_dump reads one snapshot: of each client, its events from the first up to some number.
    for (const [client, numbers] of Object.entries(clientRuns(present))) {
      expect(numbers, client).toEqual(numbers.map((_, i) => i));
    }
    expect(await rollupCheck(restored.baseUrl, user.token)).toMatchObject({ consistent: true, events_counted: present.length });
  });
});
