import { HOUR_MS } from '@llmlab/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { json, newTenant } from '../../../test/helpers/accounts.js';
import { createTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { checkRollups } from '../../usage/check-rollups.js';
import { newId } from '../ids.js';
import type { EventInsert } from '../schema.js';
import { arrayLiteral } from './event-insert.js';

const HOUR = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 6 * HOUR_MS;
const FEATURES = ['chat', 'search', undefined] as const;
const WRITERS = 2;
const LANES = 3;
const BATCHES = 12;
const BATCH = 150;
/** Batch b of writer w holds events b*100 + w*50 up to 150 more: it overlaps the other writer's batch b and its own next one. */
const firstOf = (w: number, b: number) => b * 100 + w * 50;
const DISTINCT = firstOf(WRITERS - 1, BATCHES - 1) + BATCH;

/** Event n: the same content whoever sends it, in one of 3 hours x 2 models x 3 features. */
function event(n: number) {
  const feature = FEATURES[n % 3];
  return {
    event_id: `ov-${n}`, provider: 'openai', model: n % 2 ? 'gpt-4o' : 'gpt-4o-mini', input_tokens: 100 + n, output_tokens: 10 + (n % 50), latency_ms: n % 900,
    timestamp: HOUR + (n % 3) * HOUR_MS + n, ...(feature ? { feature } : {}), ...(n % 11 === 0 ? { status: 'error' as const } : {}),
  };
}

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  events: { event_id: string; cost_nanos: number | null }[];
}

describe('event writes on PostgreSQL from two servers at once', () => {
  // Two app instances on one database, each with its own pool and event writer, as two server processes.
  const apps: TestApp[] = [];
  beforeAll(async () => {
    const url = inject('pgUrl');
    expect(url, 'PostgreSQL is needed (see packages/server/test/global-setup.ts)').toBeTruthy();
    for (let i = 0; i < WRITERS; i++) apps.push(await createTestApp(url as string));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('overlapping batches sent concurrently store each event once, and the rollups equal a recount of the events', async () => {
    const tenant = await newTenant(apps[0]);
    const answers = await Promise.all(
      apps.flatMap((app, w) =>
        Array.from({ length: LANES }, async (_, lane) => {
          const mine: BatchAnswer[] = [];
          for (let b = lane; b < BATCHES; b += LANES) {
            const events = Array.from({ length: BATCH }, (_, i) => event(firstOf(w, b) + i));
            const res = await app.request('/api/events/batch', { token: tenant.apiKey, body: { events } });
            expect(res.status).toBe(200);
            mine.push((await res.json()) as BatchAnswer);
          }
          return mine;
        }),
      ),
    );
    const all = answers.flat();
    expect(all.reduce((n, a) => n + a.accepted, 0)).toBe(DISTINCT);
    expect(all.reduce((n, a) => n + a.accepted + a.duplicates, 0)).toBe(WRITERS * BATCHES * BATCH);
    const costs = new Map<string, Set<number | null>>();
    for (const e of all.flatMap((a) => a.events)) costs.set(e.event_id, (costs.get(e.event_id) ?? new Set()).add(e.cost_nanos));
    expect(costs.size).toBe(DISTINCT);
    expect([...costs].filter(([, c]) => c.size !== 1)).toEqual([]);

    const check = await checkRollups({ db: apps[1].ctx.db, input: { projectId: tenant.projectId } });
    expect(check).toMatchObject({ events_counted: DISTINCT, differences: [] });
    const recount = [...costs.values()].reduce((n, c) => n + ([...c][0] ?? 0), 0);
    const summary = await json<{ calls: number; total_spend: number }>(apps[0].request('/api/costs/summary?days=2', { token: tenant.apiKey }));
    expect(summary).toMatchObject({ calls: DISTINCT, total_spend: recount / 1e9 });
  });

  it('stores text exactly as sent, and once an event_id that one group holds twice', async () => {
    const tenant = await newTenant(apps[0]);
    const db = apps[0].ctx.db;
    const row = (over: Partial<EventInsert>): EventInsert => ({
      id: newId(), project_id: tenant.projectId, event_id: newId(), ts: HOUR + 1, provider: 'openai', model: 'gpt-4o', input_tokens: 10, output_tokens: 5,
      cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_nanos: 75, price_source: 'test', latency_ms: null, status: 'success', error_type: null,
      feature: null, end_user: null, environment: null, source: 'api', api_key_id: null, request_hash: null, tags: null, metadata: null, received_at: HOUR + 2,
      cache_hit: 0, saved_nanos: null, session_id: null, service_tier: null, ...over,
    });
    const odd = 'quote " backslash \\ comma, {braces} NULL \u00e9 \u{1F600}';
    const rows = [
      row({ event_id: 'esc-"1\\', feature: odd, end_user: '', session_id: odd, tags: JSON.stringify({ team: 'a "b" \\c' }), metadata: JSON.stringify({ raw: '{"x":[1,2]}' }) }),
      row({ event_id: 'esc-"1\\', feature: 'the duplicate' }),
      row({ event_id: 'NULL', feature: 'NULL', environment: 'prod', latency_ms: 12, cost_nanos: null }),
    ];
    const inserted = await db.writeEvents(rows);
    expect(inserted).toEqual(new Set([rows[0].id, rows[2].id]));
    const stored = await db.kysely.selectFrom('events').select(['event_id', 'feature', 'end_user', 'session_id', 'environment', 'latency_ms', 'cost_nanos', 'tags', 'metadata']).where('project_id', '=', tenant.projectId).where('event_id', 'in', ['esc-"1\\', 'NULL']).orderBy('event_id').execute();
    expect(stored).toEqual([
      { event_id: 'NULL', feature: 'NULL', end_user: null, session_id: null, environment: 'prod', latency_ms: 12, cost_nanos: null, tags: null, metadata: null },
      { event_id: 'esc-"1\\', feature: odd, end_user: '', session_id: odd, environment: null, latency_ms: null, cost_nanos: 75, tags: { team: 'a "b" \\c' }, metadata: { raw: '{"x":[1,2]}' } },
    ]);
    expect(await checkRollups({ db, input: { projectId: tenant.projectId } })).toMatchObject({ differences: [] });
  });
});

describe('arrayLiteral', () => {
  it('quotes every text, escapes only quotes and backslashes, and writes NULL and numbers bare', () => {
    expect(arrayLiteral(['a', 'b"c', 'd\\e', '', 'NULL', null, 12, 0])).toBe('{"a","b\\"c","d\\\\e","","NULL",NULL,12,0}');
  });
});
