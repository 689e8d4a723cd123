import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServerProcess, signupUser, startServerProcess } from '../helpers/server-process.js';
import { type GatewayStack, stackFor } from './gateway-stack.js';
import { type GatewayUpstream, startGatewayUpstream } from './gateway-upstream.js';

// Each call really costs 100 input + 100 output tokens of gpt-4o-mini: 100 x $0.15/M + 100 x $0.60/M = 75,000 nanos.
const ACTUAL_NANOS = 100 * 150 + 100 * 600;
// The proxy reserves its estimate first: 404 prompt characters / 4 = 101 tokens, plus max_tokens 100: 75,150 nanos.
const ESTIMATE_NANOS = 101 * 150 + 100 * 600;
const BUDGET_USD = 0.0015;
const BUDGET_NANOS = 1_500_000;
/** The most calls the budget can pay for: 20. */
const N = Math.floor(BUDGET_NANOS / ACTUAL_NANOS);
/**
 * The calls a correct check lets through: the k-th call is admitted only while the k - 1 before it,
 * each counted at its real cost or still at its estimate, leave room for its estimate, so
 * k <= 1 + floor((budget - estimate) / actual) = 19. A 20th call forwarded means some call was
 * counted neither as spent nor as held when another was admitted.
 */
const ADMISSIBLE = 1 + Math.floor((BUDGET_NANOS - ESTIMATE_NANOS) / ACTUAL_NANOS);
const USAGE = JSON.stringify({ chat: { prompt_tokens: 100, cached_tokens: 0, completion_tokens: 100, reasoning_tokens: 0 } });

/** 100 concurrent calls spread over the given servers; the count forwarded and the 429 bodies. */
async function storm(stacks: GatewayStack[], upstream: GatewayUpstream) {
  const before = upstream.exchanges.length;
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      stacks[i % stacks.length]
        .openai({ headers: { 'x-fake-usage': USAGE, 'x-fake-delay-ms': '30', 'x-llmlab-feature': 'storm' } })
        .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }] })
        .then(() => 'ok' as const, (e: { status?: number; type?: string; message?: string }) => e),
    ),
  );
  return { forwarded: upstream.exchanges.length - before, ok: results.filter((r) => r === 'ok').length, refused: results.filter((r) => r !== 'ok') };
}

async function expectBudgetHeld(stacks: GatewayStack[], upstream: GatewayUpstream) {
  const s = stacks[0];
  const created = await s.api('/api/budgets', { body: { name: 'Proxy cap', amount: BUDGET_USD, period: 'monthly', hard_limit: true } });
  expect(created.status).toBe(201);
  const { forwarded, ok, refused } = await storm(stacks, upstream);
  // Estimates never fall below real costs here, so nothing beyond the budget is forwarded (allowance 0);
  // at least floor(budget / estimate) = 19 calls fit, and no more than ADMISSIBLE = 19 may go.
  expect(ESTIMATE_NANOS).toBeGreaterThanOrEqual(ACTUAL_NANOS);
  expect(ADMISSIBLE).toBeLessThanOrEqual(N);
  expect(forwarded).toBeLessThanOrEqual(ADMISSIBLE);
  expect(forwarded).toBeGreaterThanOrEqual(Math.floor(BUDGET_NANOS / ESTIMATE_NANOS));
  expect(ok).toBe(forwarded);
  expect(refused).toHaveLength(100 - forwarded);
  for (const r of refused) {
    expect(r).toMatchObject({ status: 429, type: 'insufficient_quota', code: 'budget_exceeded' });
    expect(r.message).toContain('LLMLab hard budget "Proxy cap" (monthly, $0.0015) would be exceeded');
  }
  const events = await s.waitForEvents(forwarded, { feature: 'storm' });
  expect(events).toHaveLength(forwarded);
  const spent = events.reduce((sum, e) => sum + (e.cost_nanos ?? 0), 0);
  expect(spent).toBe(forwarded * ACTUAL_NANOS);
  expect(spent).toBeLessThanOrEqual(BUDGET_NANOS);
  const budgets = (await (await s.api('/api/budgets')).json()) as { budgets: { status: { spent_nanos: number; exceeded: boolean } }[] };
  expect(budgets.budgets[0].status.spent_nanos).toBe(spent);
}

describe('hard budgets under 100 concurrent calls', () => {
  let upstream: GatewayUpstream;
  beforeAll(async () => {
    upstream = await startGatewayUpstream();
  });
  afterAll(() => upstream?.close());

  it('one server on SQLite forwards at most what the budget pays for and refuses the rest with 429', async () => {
    const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstream.url } });
    try {
      const user = await signupUser(server.baseUrl);
      await expectBudgetHeld([stackFor(server, upstream, user, false)], upstream);
    } finally {
      await server.stop();
    }
  });

  it('two server processes on one PostgreSQL hold the same budget together', async () => {
    const pgUrl = inject('pgUrl');
    expect(pgUrl, 'PostgreSQL is needed for this test (see packages/server/test/global-setup.ts)').toBeTruthy();
    const env = { LLMLAB_OPENAI_BASE_URL: upstream.url, DATABASE_URL: pgUrl as string };
    const servers: ServerProcess[] = [];
    try {
      servers.push(await startServerProcess({ env }));
      servers.push(await startServerProcess({ env }));
      const user = await signupUser(servers[0].baseUrl);
      await expectBudgetHeld(servers.map((srv) => stackFor(srv, upstream, user, false)), upstream);
    } finally {
      await Promise.all(servers.map((srv) => srv.stop()));
    }
  });
});
