import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../helpers/accounts.js';
import { databases } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { makeBatch, type RollupCheckAnswer } from './ingest-load.js';

const CLIENTS = 6;
const BATCHES = 8;
const BATCH_SIZE = 50;

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  events: { event_id: string; cost_nanos: number | null; duplicate: boolean }[];
}

/** Rotates a list by `n`, so each client sends the same batches in another order. */
const rotate = <T>(xs: T[], n: number) => [...xs.slice(n % xs.length), ...xs.slice(0, n % xs.length)];

describe.each(databases())('idempotency on $name: the same batches re-sent concurrently by several clients', ({ url }) => {
  // Three app instances on one database, each with its own connections and writer, as three processes would be.
  const apps: TestApp[] = [];
  let dir: string;
  let tenant: TestTenant;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmlab-idem-'));
    const shared = url ?? `sqlite:${join(dir, 'shared.db')}`;
    for (let i = 0; i < 3; i++) apps.push(await createTestApp(shared));
    tenant = await newTenant(apps[0]);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores each event once, acknowledges it with one cost everywhere, and the rollups equal a recount', async () => {
    const now = Date.now();
    const batches = Array.from({ length: BATCHES }, (_, b) => makeBatch(`idem-${b}`, BATCH_SIZE, now));
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const mine: BatchAnswer[] = [];
        for (const events of rotate(batches, c)) {
          const res = await apps[c % apps.length].request('/api/events/batch', { token: tenant.apiKey, body: { events } });
          expect(res.status).toBe(200);
          mine.push((await res.json()) as BatchAnswer);
        }
        return mine;
      }),
    );
    const all = answers.flat();
    const total = BATCHES * BATCH_SIZE;
    expect(all.reduce((n, a) => n + a.accepted, 0)).toBe(total);
    expect(all.reduce((n, a) => n + a.duplicates, 0)).toBe((CLIENTS - 1) * total);
    const costs = new Map<string, Set<number | null>>();
    for (const e of all.flatMap((a) => a.events)) costs.set(e.event_id, (costs.get(e.event_id) ?? new Set()).add(e.cost_nanos));
    expect(costs.size).toBe(total);
    expect([...costs].filter(([, c]) => c.size !== 1)).toEqual([]);

    const stored = await json<{ events: { event_id: string; cost_nanos: number | null }[] }>(apps[1].request('/api/events?limit=1000', { token: tenant.apiKey }));
    expect(stored.events).toHaveLength(total);
    expect(stored.events.every((e) => costs.get(e.event_id)?.has(e.cost_nanos))).toBe(true);

    for (const app of apps) {
      expect(await json<RollupCheckAnswer>(app.request('/api/admin/rollup-check', { token: tenant.token }))).toMatchObject({ consistent: true, events_counted: total });
    }
    const recount = stored.events.reduce((n, e) => n + (e.cost_nanos ?? 0), 0);
    const summary = await json<{ total_spend: number; calls: number }>(apps[2].request('/api/costs/summary?days=3', { token: tenant.apiKey }));
    expect(summary).toMatchObject({ total_spend: recount / 1e9, calls: total });
  });
});
