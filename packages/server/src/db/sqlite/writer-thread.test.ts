import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { eventWriter } from '../../events/event-writer.js';
import { type Db, migrateToLatest, openDatabase } from '../database.js';
import { newId } from '../ids.js';
import type { EventInsert } from '../schema.js';

const dir = mkdtempSync(join(tmpdir(), 'llmlab-writer-'));
const opened: Db[] = [];
afterAll(async () => {
  for (const db of opened) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(url: string): Promise<Db> {
  const db = openDatabase(url);
  opened.push(db);
  await migrateToLatest(db);
  await db.kysely.insertInto('orgs').values({ id: 'org', name: 'o', created_at: 0 }).execute();
  await db.kysely.insertInto('projects').values({ id: 'p', org_id: 'org', name: 'p', created_at: 0 }).execute();
  return db;
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 27, 9);

function row(eventId: string, overrides: Partial<EventInsert> = {}): EventInsert {
  return {
    id: newId(), project_id: 'p', event_id: eventId, ts: T0 + 5 * 60_000, provider: 'openai', model: 'gpt-4o', input_tokens: 1200,
    output_tokens: 300, cached_input_tokens: 200, cache_write_tokens: 0, reasoning_tokens: 0, cost_nanos: 4_750_000, price_source: 'catalog:x/gpt-4o',
    latency_ms: 900, status: 'success', error_type: null, feature: 'chat', end_user: 'u\u0001"quoted"', environment: null, source: 'api',
    api_key_id: 'key_a', request_hash: null, tags: '{"team":"a"}', metadata: null, received_at: T0 + HOUR, cache_hit: 0, saved_nanos: null, session_id: 'run "7"', service_tier: null, ...overrides,
  };
}

/** What a reader sees: the events (without the generated ids) and the hourly rollups. */
async function stored(db: Db) {
  const events = await db.kysely.selectFrom('events').selectAll().orderBy('event_id').execute();
  const rollups = await db.kysely.selectFrom('usage_hourly').selectAll().orderBy('hour').orderBy('model').orderBy('feature').execute();
  return { events: events.map(({ id: _, ...e }) => e), rollups };
}

describe('the SQLite event writer', () => {
  it('stores the same events and rollups on its own thread (a file) as inline (in memory), each event once', async () => {
    const file = await open(`sqlite:${join(dir, 'w.db')}`);
    const memory = await open('sqlite::memory:');
    // A file has the writer thread, which takes a second group while it commits one; memory writes inline.
    expect(file.writeConcurrency).toBe(2);
    expect(memory.writeConcurrency).toBe(1);
    const first = [row('a'), row('b', { status: 'error', error_type: 'http_500', cost_nanos: null, price_source: null, latency_ms: null }), row('c', { ts: T0 + 2 * HOUR, feature: null, model: 'gpt-4o-mini' })];
    const again = [row('b'), row('d', { reasoning_tokens: 100, output_tokens: 300, end_user: null, tags: null })];
    for (const db of [file, memory]) {
      const firstIds = await eventWriter(db).write(first);
      expect([...firstIds].sort()).toEqual(first.map((r) => r.id).sort());
      const againIds = await eventWriter(db).write(again);
      expect([...againIds]).toEqual([again[1].id]);
    }
    const fromThread = await stored(file);
    expect(fromThread).toEqual(await stored(memory));
    expect(fromThread.events.map((e) => e.event_id)).toEqual(['a', 'b', 'c', 'd']);
    expect(fromThread.events[1]).toMatchObject({ status: 'error', cost_nanos: null, latency_ms: null, end_user: 'u\u0001"quoted"' });
    expect(fromThread.rollups.map((r) => ({ hour: r.hour, model: r.model, feature: r.feature, calls: r.calls, error_calls: r.error_calls, cost_nanos: r.cost_nanos, unpriced_calls: r.unpriced_calls, reasoning_tokens: r.reasoning_tokens, latency_ms_sum: r.latency_ms_sum }))).toEqual([
      { hour: T0, model: 'gpt-4o', feature: 'chat', calls: 3, error_calls: 1, cost_nanos: 9_500_000, unpriced_calls: 1, reasoning_tokens: 100, latency_ms_sum: 1800 },
      { hour: T0 + 2 * HOUR, model: 'gpt-4o-mini', feature: '', calls: 1, error_calls: 0, cost_nanos: 4_750_000, unpriced_calls: 0, reasoning_tokens: 0, latency_ms_sum: 900 },
    ]);
  });

  it('starts transactions on the request thread with the write lock, so a commit by the writer thread cannot fail them halfway', async () => {
    const db = await open(`sqlite:${join(dir, 'busy.db')}`);
    // Another connection holds the write lock, as the writer thread does while it commits.
    const other = new SQLite(join(dir, 'busy.db'));
    other.exec('begin immediate');
    await sql`pragma busy_timeout = 50`.execute(db.kysely);
    let ran = false;
    const blocked = await db
      .transaction(async (trx) => {
        ran = true;
        await trx.selectFrom('usage_hourly').selectAll().execute();
      })
      .catch((err: { code?: string }) => err.code);
    // Refused at "begin", before reading anything; a deferred begin would have read a snapshot
    // that the other connection's commit then makes stale, failing the transaction's first write.
    expect(blocked).toBe('SQLITE_BUSY');
    expect(ran).toBe(false);
    other.exec('commit');
    other.close();
    await sql`pragma busy_timeout = 5000`.execute(db.kysely);
    await db.transaction(async (trx) => {
      await trx.insertInto('orgs').values({ id: 'o2', name: 'o2', created_at: 1 }).execute();
    });
    expect(await db.kysely.selectFrom('orgs').select('id').orderBy('id').execute()).toEqual([{ id: 'o2' }, { id: 'org' }]);
  });
});
