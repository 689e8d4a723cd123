import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type GatewayStack, stackFor } from '../gateway/gateway-stack.js';
import { type GatewayUpstream, startGatewayUpstream } from '../gateway/gateway-upstream.js';
import { type ServerProcess, signupUser, startServerProcess } from '../helpers/server-process.js';
import { exportEvents, rollupCheck, startIngestLoad } from './ingest-load.js';

// Each proxied call costs 100 input + 100 output tokens of gpt-4o-mini ($0.15 / $0.60 per million): 75,000 nanos.
const USAGE = JSON.stringify({ chat: { prompt_tokens: 100, cached_tokens: 0, completion_tokens: 100, reasoning_tokens: 0 } });
const CALL_NANOS = 100 * 150 + 100 * 600;
const BUDGET_NANOS = 600_000;

function chat(stack: GatewayStack, feature: string) {
  return stack
    .openai({ headers: { 'x-fake-usage': USAGE, 'x-fake-delay-ms': '20', 'x-llmlab-feature': feature } })
    .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }] })
    .then(() => 200, (e: { status?: number }) => e.status ?? 0);
}

describe('scale-out: two server processes on one PostgreSQL', () => {
  let upstream: GatewayUpstream;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    const pgUrl = inject('pgUrl');
    expect(pgUrl, 'PostgreSQL is needed (see packages/server/test/global-setup.ts)').toBeTruthy();
    upstream = await startGatewayUpstream();
    const env = { DATABASE_URL: pgUrl as string, LLMLAB_OPENAI_BASE_URL: upstream.url, LLMLAB_SECRET: 's'.repeat(40) };
    servers.push(...(await Promise.all([startServerProcess({ env }), startServerProcess({ env })])));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await upstream?.close();
  });

  it('concurrent ingest and proxy traffic through both give one summary, equal to a recount', async () => {
    const user = await signupUser(servers[0].baseUrl);
    const stacks = servers.map((s) => stackFor(s, upstream, user, false));
    const load = startIngestLoad({ baseUrls: servers.map((s) => s.baseUrl), apiKey: user.apiKey, clients: 4, batchSize: 50, name: 'scale' });
    const proxied = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(stacks[i % 2], 'proxied')));
    await new Promise((r) => setTimeout(r, 1500));
    const result = await load.stop();
    expect(proxied.every((s) => s === 200)).toBe(true);
    expect(Object.keys(result.statuses)).toEqual(['200']);
    expect(result.acknowledged.size).toBeGreaterThan(500);

    // Proxy usage is written just after each answer: wait until both the API and proxy events are in.
    const expected = result.acknowledged.size + 30;
    await stacks[1].waitForEvents(30, { feature: 'proxied' });
    const stored = await exportEvents(servers[1].baseUrl, user.apiKey);
    expect(stored).toHaveLength(expected);

    const summaries = await Promise.all(servers.map(async (s) => (await fetch(`${s.baseUrl}/api/costs/summary?days=7&tz=Europe/Paris`, { headers: { authorization: `Bearer ${user.apiKey}` } })).json()));
    // Identical but for `to`, the moment each server answered.
    const [one, two] = summaries.map(({ to, ...rest }) => rest);
    expect(two).toEqual(one);
    const recount = stored.reduce((n, e) => n + (e.cost_nanos ?? 0), 0);
    expect(summaries[0]).toMatchObject({ total_spend: recount / 1e9, calls: expected, unpriced_calls: stored.filter((e) => e.cost_nanos === null).length });
    expect(summaries[0].by_feature.proxied).toBe((30 * CALL_NANOS) / 1e9);
    for (const s of servers) expect(await rollupCheck(s.baseUrl, user.token)).toMatchObject({ consistent: true, events_counted: expected });
  });

  it('a hard budget holds across both servers', async () => {
    const user = await signupUser(servers[1].baseUrl);
    const stacks = servers.map((s) => stackFor(s, upstream, user, false));
    const created = await stacks[0].api('/api/budgets', { body: { name: 'Shared cap', amount: BUDGET_NANOS / 1e9, period: 'monthly', hard_limit: true } });
    expect(created.status).toBe(201);
    const before = upstream.exchanges.length;
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(stacks[i % 2], 'capped')));
    const forwarded = upstream.exchanges.length - before;
    // At most what the budget pays for (8 calls), and at least what fits with the proxy's estimate reserved (7).
    expect(forwarded).toBeLessThanOrEqual(Math.floor(BUDGET_NANOS / CALL_NANOS));
    expect(forwarded).toBeGreaterThanOrEqual(7);
    expect(statuses.filter((s) => s === 200)).toHaveLength(forwarded);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - forwarded);
    const events = await stacks[0].waitForEvents(forwarded, { feature: 'capped' });
    expect(events.reduce((n, e) => n + (e.cost_nanos ?? 0), 0)).toBeLessThanOrEqual(BUDGET_NANOS);
  });
});
