import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServerProcess, signupUser, startServerProcess } from '../helpers/server-process.js';
import { type GatewayStack, stackFor } from './gateway-stack.js';
import { type GatewayUpstream, startGatewayUpstream } from './gateway-upstream.js';

// A call bills 100 input + 100 output tokens of gpt-4o-mini: 100 x $0.15/M + 100 x $0.60/M = 75,000 nanos.
const ACTUAL_NANOS = 100 * 150 + 100 * 600;
// Its estimate from the body: 404 prompt characters / 4 = 101 tokens, plus max_tokens 100.
const ESTIMATE_NANOS = 101 * 150 + 100 * 600;
// Each customer may spend $0.0015 a month: 20 calls.
const BUDGET_NANOS = 1_500_000;
const ADMISSIBLE = 1 + Math.floor((BUDGET_NANOS - ESTIMATE_NANOS) / ACTUAL_NANOS);

const usage = (prompt: number) => JSON.stringify({ chat: { prompt_tokens: prompt, cached_tokens: 0, completion_tokens: 100, reasoning_tokens: 0 } });

function call(stack: GatewayStack, customer: string, prompt = 100) {
  return stack
    .openai({ headers: { 'x-fake-usage': usage(prompt), 'x-fake-delay-ms': '30', 'x-llmlab-user': customer } })
    .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }] })
    .then(() => 'ok' as const, (e: { status?: number; code?: string; message?: string }) => e);
}

async function eachCustomerBudget(stack: GatewayStack, amountNanos: number): Promise<string> {
  const res = await stack.api('/api/budgets', { body: { name: 'Each customer', amount: amountNanos / 1e9, period: 'monthly', per: 'end_user', hard_limit: true } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** 100 concurrent calls of customer-a and 10 of customer-b, spread over the servers. */
async function expectCustomerHeld(stacks: GatewayStack[], upstream: GatewayUpstream) {
  const s = stacks[0];
  const budgetId = await eachCustomerBudget(s, BUDGET_NANOS);
  const before = upstream.exchanges.length;
  const [a, b] = await Promise.all([
    Promise.all(Array.from({ length: 100 }, (_, i) => call(stacks[i % stacks.length], 'customer-a'))),
    Promise.all(Array.from({ length: 10 }, (_, i) => call(stacks[i % stacks.length], 'customer-b'))),
  ]);
  const okA = a.filter((r) => r === 'ok').length;
  expect(b.filter((r) => r === 'ok')).toHaveLength(10);
  expect(okA).toBeLessThanOrEqual(ADMISSIBLE);
  expect(okA).toBeGreaterThanOrEqual(Math.floor(BUDGET_NANOS / ESTIMATE_NANOS));
  expect(upstream.exchanges.length - before).toBe(okA + 10);
  for (const r of a.filter((x) => x !== 'ok')) {
    expect(r).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect((r as { message: string }).message).toContain('LLMLab hard budget "Each customer" (monthly, $0.0015 each) for end user customer-a would be exceeded');
  }
  await s.waitForEvents(okA + 10);
  const page = (await (await s.api(`/api/budgets/${budgetId}/usage`)).json()) as { values: { value: string; spent_nanos: number; state: string }[] };
  expect(page.values).toEqual([
    expect.objectContaining({ value: 'customer-a', spent_nanos: okA * ACTUAL_NANOS }),
    expect.objectContaining({ value: 'customer-b', spent_nanos: 10 * ACTUAL_NANOS, state: 'ok' }),
  ]);
  expect(page.values[0].spent_nanos).toBeLessThanOrEqual(BUDGET_NANOS);
}

describe('a budget per customer under concurrent calls', () => {
  let upstream: GatewayUpstream;
  beforeAll(async () => {
    upstream = await startGatewayUpstream();
  });
  afterAll(() => upstream?.close());

  it('one server on SQLite: customer-a gets what their budget pays for, customer-b all of theirs', async () => {
    const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstream.url } });
    try {
      await expectCustomerHeld([stackFor(server, upstream, await signupUser(server.baseUrl), false)], upstream);
    } finally {
      await server.stop();
    }
  });

  it('two server processes on one PostgreSQL hold each customer\'s budget together', async () => {
    const pgUrl = inject('pgUrl');
    expect(pgUrl, 'PostgreSQL is needed for this test (see packages/server/test/global-setup.ts)').toBeTruthy();
    const env = { LLMLAB_OPENAI_BASE_URL: upstream.url, DATABASE_URL: pgUrl as string };
    const servers: ServerProcess[] = [];
    try {
      servers.push(await startServerProcess({ env }));
      servers.push(await startServerProcess({ env }));
      const user = await signupUser(servers[0].baseUrl);
      await expectCustomerHeld(servers.map((srv) => stackFor(srv, upstream, user, false)), upstream);
    } finally {
      await Promise.all(servers.map((srv) => srv.stop()));
    }
  });

  it('reserves what recent calls really cost when the provider bills far more input than the body shows', async () => {
    // Each call bills 1,000 input tokens (a previous_response_id, a file by URL) though its body shows 101:
    // 1,000 x $0.15/M + 100 x $0.60/M = 210,000 nanos against an estimate of 75,150. The budget pays for 20 such calls.
    const real = 1000 * 150 + 100 * 600;
    const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstream.url } });
    try {
      const stack = stackFor(server, upstream, await signupUser(server.baseUrl), false);
      await eachCustomerBudget(stack, 20 * real);
      // Three calls one after another: the key's history now shows what such a call costs.
      for (let i = 0; i < 3; i++) expect(await call(stack, 'customer-big', 1000)).toBe('ok');
      await stack.waitForEvents(3);
      const results = await Promise.all(Array.from({ length: 100 }, () => call(stack, 'customer-big', 1000)));
      const ok = results.filter((r) => r === 'ok').length;
      // Trusting the body alone would let (20 x 210,000 - 630,000) / 75,150 = 47 more calls go, $0.0099 more than the budget.
      expect(3 + ok).toBeLessThanOrEqual(20);
      const events = await stack.waitForEvents(3 + ok);
      const spent = events.reduce((sum, e) => sum + (e.cost_nanos ?? 0), 0);
      expect(spent).toBe((3 + ok) * real);
      expect(spent).toBeLessThanOrEqual(20 * real);
    } finally {
      await server.stop();
    }
  });
});
