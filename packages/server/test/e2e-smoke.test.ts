import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkedFetch } from './helpers/contract.js';
import { type ServerProcess, signupUser, startServerProcess } from './helpers/server-process.js';

describe('the real server process over HTTP', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  it('signs up, tracks, summarises and exports; an acknowledged event survives kill -9', async () => {
    const u = await signupUser(server.baseUrl);
    const post = (path: string, body: unknown) =>
      checkedFetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${u.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const tracked = await post('/api/events/track', { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, metadata: { feature: 'summarization' } });
    expect(tracked.status).toBe(201);
    expect(await tracked.json()).toMatchObject({ success: true, cost: 0.06, priced: true });
    const batch = await post('/api/events/batch', { events: [{ provider: 'anthropic', model: 'claude-3-opus', input_tokens: 1000, output_tokens: 500, event_id: 'b-1' }] });
    expect((await batch.json()).accepted).toBe(1);

    await server.kill('SIGKILL');
    await server.restart();

    const summary = await (await checkedFetch(`${server.baseUrl}/api/costs/summary?days=30`, { headers: { authorization: `Bearer ${u.apiKey}` } })).json();
    expect(summary).toMatchObject({ total_spend: 0.1125, today_spend: 0.1125, by_model: { 'anthropic/claude-3-opus': 0.0525, 'openai/gpt-4': 0.06 }, by_feature: { summarization: 0.06, '(none)': 0.0525 }, calls: 2 });
    const csv = await (await checkedFetch(`${server.baseUrl}/api/export?format=csv`, { headers: { authorization: `Bearer ${u.apiKey}` } })).text();
    const rows = csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.split(',').slice(2, 4).join('/'))).toEqual(['provider/model', 'openai/gpt-4', 'anthropic/claude-3-opus']);
    const health = await (await checkedFetch(`${server.baseUrl}/health`)).json();
    expect(health).toEqual({ status: 'ok', database: 'sqlite' });
  });
});

describe('the real server process on PostgreSQL', () => {
  const pgUrl = inject('pgUrl');
  it('applies migrations on start (twice at once) and serves the same numbers', async () => {
    const [a, b] = await Promise.all([startServerProcess({ env: { DATABASE_URL: pgUrl as string } }), startServerProcess({ env: { DATABASE_URL: pgUrl as string } })]);
    try {
      const u = await signupUser(a.baseUrl);
      const headers = { authorization: `Bearer ${u.apiKey}`, 'content-type': 'application/json' };
      await checkedFetch(`${a.baseUrl}/api/events/track`, { method: 'POST', headers, body: JSON.stringify({ provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 }) });
      await checkedFetch(`${b.baseUrl}/api/events/track`, { method: 'POST', headers, body: JSON.stringify({ provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 }) });
      const fromA = await (await checkedFetch(`${a.baseUrl}/api/costs/summary`, { headers })).json();
      const fromB = await (await checkedFetch(`${b.baseUrl}/api/costs/summary`, { headers })).json();
      expect(fromA.total_spend).toBe(0.12);
      expect({ ...fromB, to: null }).toEqual({ ...fromA, to: null });
      expect(await (await checkedFetch(`${b.baseUrl}/health`)).json()).toEqual({ status: 'ok', database: 'postgres' });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
