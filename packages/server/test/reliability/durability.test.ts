import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '../helpers/server-process.js';
import { exportEvents, rollupCheck, startIngestLoad } from './ingest-load.js';

const KILLS = 4;

describe('durability: the server is killed with SIGKILL during ingest', () => {
  let server: ServerProcess;
  let user: SignedUpUser;
  beforeAll(async () => {
    server = await startServerProcess();
    user = await signupUser(server.baseUrl);
  });
  afterAll(() => server?.stop());

  it(`keeps every acknowledged event exactly once through ${KILLS} kills, and the rollups match them`, async () => {
    const load = startIngestLoad({ baseUrls: [server.baseUrl], apiKey: user.apiKey, clients: 4, batchSize: 25, name: 'durable' });
    for (let i = 0; i < KILLS; i++) {
      await new Promise((r) => setTimeout(r, 700));
      await server.restart();
    }
    await new Promise((r) => setTimeout(r, 700));
    const result = await load.stop();

    // The load really was cut off by the kills: some requests failed to connect, and many succeeded.
    expect(result.statuses[0] ?? 0).toBeGreaterThan(0);
    expect(result.acknowledged.size).toBeGreaterThan(500);
    expect(Object.keys(result.statuses).filter((s) => s !== '0' && s !== '200')).toEqual([]);

    const stored = await exportEvents(server.baseUrl, user.apiKey);
    const ids = stored.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(stored.map((e) => [e.event_id, e]));
    const missing = [...result.acknowledged.keys()].filter((id) => !byId.has(id));
    expect(missing).toEqual([]);
    expect(ids.filter((id) => !result.sent.has(id))).toEqual([]);
    const wrongCost = [...result.acknowledged].filter(([id, cost]) => byId.get(id)?.cost_nanos !== cost);
    expect(wrongCost).toEqual([]);

    const check = await rollupCheck(server.baseUrl, user.token);
    expect(check).toMatchObject({ consistent: true, difference_count: 0, events_counted: stored.length });
  });
});
