import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../helpers/accounts.js';
import { databases } from '../helpers/databases.js';
import { type ServerProcess, signupUser, startServerProcess } from '../helpers/server-process.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { stackFor } from './gateway-stack.js';
import { type GatewayUpstream, startGatewayUpstream } from './gateway-upstream.js';

// A minute's start: 10 s buckets begin here.
const T = Date.parse('2026-11-27T12:00:00Z');
const USAGE = JSON.stringify({ chat: { prompt_tokens: 100, cached_tokens: 0, completion_tokens: 100, reasoning_tokens: 0 } });
// 'user' and 400 characters of prompt: 404 / 4 = 101 tokens, plus max_tokens 100.
const CALL_TOKENS = 201;
// gpt-4o-mini at $0.15 / $0.60 per million: 101 x 150 + 100 x 600 nanos.
const CALL_COST_NANOS = 101 * 150 + 100 * 600;

type Headers = Record<string, string | null>;
const limitHeaders = (res: Response, metric = 'requests'): Headers => ({
  limit: res.headers.get(`x-ratelimit-limit-${metric}`),
  remaining: res.headers.get(`x-ratelimit-remaining-${metric}`),
  reset: res.headers.get(`x-ratelimit-reset-${metric}`),
});

describe.each(databases())('rate limits in the proxy on $name', ({ url }) => {
  let app: TestApp;
  let upstream: GatewayUpstream;
  beforeAll(async () => {
    app = await createTestApp(url);
    upstream = await startGatewayUpstream();
    app.ctx.config.openaiBaseUrl = upstream.url;
    app.ctx.config.anthropicBaseUrl = upstream.url;
  });
  afterAll(async () => {
    await upstream?.close();
    await app?.close();
  });

  const limit = async (t: TestTenant, body: Record<string, unknown>) => {
    const res = await app.request('/api/rate-limits', { token: t.token, body });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  };
  const openai = (t: TestTenant, headers: Record<string, string> = {}, body: Record<string, unknown> = {}) =>
    app.request('/proxy/openai/v1/chat/completions', {
      headers: { 'x-llmlab-key': t.apiKey, authorization: 'Bearer sk-test', 'x-fake-usage': USAGE, ...headers },
      body: { model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }], ...body },
    });
  const anthropic = (t: TestTenant, headers: Record<string, string> = {}) =>
    app.request('/proxy/anthropic/v1/messages', {
      headers: { 'x-llmlab-key': t.apiKey, 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', ...headers },
      body: { model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] },
    });
  /** Waits until the forwarded calls are recorded: refused calls never reach the provider and leave no event. */
  const recorded = (t: TestTenant, count: number) =>
    expect.poll(async () => (await json<{ events: unknown[] }>(app.request('/api/events?limit=1000', { token: t.token }))).events.length).toBe(count);

  it("refuses a customer's 11th call in a minute with 429 in each provider's format, while another customer goes on; the window slides", async () => {
    const t = await newTenant(app);
    await limit(t, { name: 'batch team', per: 'end_user', requests_per_minute: 10 });
    app.setNow(T);
    try {
      const before = upstream.exchanges.length;
      const customer = { 'x-llmlab-user': 'customer-42' };
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await openai(t, customer);
        expect(res.status).toBe(200);
        remaining.push(limitHeaders(res).remaining);
        if (i === 0) expect(limitHeaders(res)).toEqual({ limit: '10', remaining: '9', reset: '1m10s' });
      }
      expect(remaining).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);

      const refused = await openai(t, customer);
      expect(refused.status).toBe(429);
      const message = 'LLMLab rate limit "batch team": 10 requests a minute for end user customer-42; retry in 61 s';
      expect(await refused.json()).toEqual({ error: { message, type: 'rate_limit_exceeded', param: null, code: 'rate_limit_exceeded' } });
      expect(refused.headers.get('retry-after')).toBe('61');
      expect(refused.headers.get('retry-after-ms')).toBe('61000');
      expect(limitHeaders(refused)).toEqual({ limit: '10', remaining: '0', reset: '1m10s' });

      const viaAnthropic = await anthropic(t, customer);
      expect(viaAnthropic.status).toBe(429);
      expect(await viaAnthropic.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message } });
      expect(viaAnthropic.headers.get('retry-after')).toBe('61');

      const other = await openai(t, { 'x-llmlab-user': 'customer-7' });
      expect(other.status).toBe(200);
      expect(limitHeaders(other).remaining).toBe('9');
      // A call naming no customer is not held by a limit per customer.
      const anonymous = await openai(t);
      expect(anonymous.status).toBe(200);
      expect(anonymous.headers.get('x-ratelimit-limit-requests')).toBeNull();
      expect(upstream.exchanges.length - before).toBe(12);

      // A second before the first bucket starts to slide out, still nothing; then one call's room.
      app.setNow(T + 60_999);
      expect((await openai(t, customer)).status).toBe(429);
      app.setNow(T + 61_000);
      const slid = await openai(t, customer);
      expect(slid.status).toBe(200);
      expect(limitHeaders(slid).remaining).toBe('0');
      const again = await openai(t, customer);
      expect(again.status).toBe(429);
      expect(((await again.json()) as { error: { message: string } }).error.message).toBe('LLMLab rate limit "batch team": 10 requests a minute for end user customer-42; retry in 1 s');
      // Once the first ten have slid out, only the call at T + 61 s still counts.
      app.setNow(T + 120_000);
      const later = await openai(t, customer);
      expect(later.status).toBe(200);
      expect(limitHeaders(later).remaining).toBe('8');
      await recorded(t, 14);
    } finally {
      app.setNow(null);
    }
  });

  it('counts tokens (prompt estimate plus max output), refusing a call too large to ever fit without a retry', async () => {
    const t = await newTenant(app);
    await limit(t, { name: 'tokens', tokens_per_minute: 1000, scope: { model: 'gpt-4o-mini' } });
    app.setNow(T);
    try {
      const statuses: number[] = [];
      const left: (string | null)[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await openai(t);
        statuses.push(res.status);
        left.push(res.headers.get('x-ratelimit-remaining-tokens'));
      }
      // 4 x 201 = 804 tokens fit in 1,000; a 5th would make 1,005.
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(left).toEqual([...[1, 2, 3, 4].map((n) => String(1000 - n * CALL_TOKENS)), String(1000 - 4 * CALL_TOKENS)]);
      const tooLarge = await openai(t, {}, { max_tokens: 5000 });
      expect(tooLarge.status).toBe(429);
      expect(tooLarge.headers.get('retry-after')).toBeNull();
      expect(tooLarge.headers.get('x-should-retry')).toBe('false');
      expect(((await tooLarge.json()) as { error: { message: string } }).error.message).toBe(
        'LLMLab rate limit "tokens": 1,000 tokens a minute; this call alone counts 5,101 tokens (prompt estimate plus max output), more than the limit allows: lower max_tokens or the prompt',
      );
      // Another model is outside the limit's scope: it goes, with no token headers.
      const other = await openai(t, {}, { model: 'gpt-4o' });
      expect(other.status).toBe(200);
      expect(other.headers.get('x-ratelimit-limit-tokens')).toBeNull();
      await recorded(t, 5);
    } finally {
      app.setNow(null);
    }
  });

  it('counts cost an hour', async () => {
    const t = await newTenant(app);
    await limit(t, { name: 'spend', cost_per_hour: 0.0003 });
    app.setNow(T);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await openai(t)).status);
      // 3 x 75,150 = 225,450 nanos fit in 300,000; a 4th would make 300,600.
      expect(4 * CALL_COST_NANOS).toBeGreaterThan(300_000);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await openai(t);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^LLMLab rate limit "spend": \$0\.0003 an hour; retry in \d+ s$/);
      expect(refused.headers.get('x-ratelimit-limit-requests')).toBeNull();
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3600);
      await recorded(t, 3);
    } finally {
      app.setNow(null);
    }
  });
});

describe('rate limits while the database fails (SQLite)', () => {
  let upstream: GatewayUpstream;
  beforeAll(async () => {
    upstream = await startGatewayUpstream();
  });
  afterAll(() => upstream?.close());

  it('lets calls through when the counters cannot be written (fail-open), and refuses them on a fail-closed project', async () => {
    const app = await createTestApp();
    try {
      app.ctx.config.openaiBaseUrl = upstream.url;
      const open = await newTenant(app);
      const closed = await newTenant(app);
      for (const t of [open, closed]) expect((await app.request('/api/rate-limits', { token: t.token, body: { requests_per_minute: 1 } })).status).toBe(201);
      expect((await app.request('/api/gateway/settings', { method: 'PATCH', token: closed.token, body: { fail_mode: 'closed' } })).status).toBe(200);
      await sql`drop table rate_limit_counters`.execute(app.ctx.db.kysely);
      const call = (t: TestTenant) =>
        app.request('/proxy/openai/v1/chat/completions', { headers: { 'x-llmlab-key': t.apiKey, authorization: 'Bearer sk-test' }, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } });
      expect((await call(open)).status).toBe(200);
      expect((await call(open)).status).toBe(200);
      const refused = await call(closed);
      expect(refused.status).toBe(503);
      expect(await json(refused)).toMatchObject({ error: { message: expect.stringContaining('rate limits cannot be checked') } });
      // The two calls let through are recorded as usual.
      await expect.poll(async () => (await json<{ events: unknown[] }>(app.request('/api/events', { token: open.token }))).events.length).toBe(2);
    } finally {
      await app.close();
    }
  });
});

describe('rate limits across two server processes on one PostgreSQL', () => {
  let upstream: GatewayUpstream;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    const pgUrl = inject('pgUrl');
    expect(pgUrl, 'PostgreSQL is needed for this test (see packages/server/test/global-setup.ts)').toBeTruthy();
    upstream = await startGatewayUpstream();
    const env = { DATABASE_URL: pgUrl as string, LLMLAB_OPENAI_BASE_URL: upstream.url, LLMLAB_SECRET: 's'.repeat(40) };
    servers.push(...(await Promise.all([startServerProcess({ env }), startServerProcess({ env })])));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await upstream?.close();
  });

  it('2 x 30 concurrent calls against 20 a minute forward 20, and every refusal says when to retry', async () => {
    const user = await signupUser(servers[0].baseUrl);
    const stacks = servers.map((s) => stackFor(s, upstream, user, false));
    expect((await stacks[0].api('/api/rate-limits', { body: { name: 'shared', requests_per_minute: 20 } })).status).toBe(201);
    // The counters are exact within a 10 s bucket; a storm straddling a bucket boundary may let
    // through the calls in flight across it (docs/controls.md). Start early in a bucket.
    await expect.poll(() => Date.now() % 10_000, { timeout: 10_000, interval: 20 }).toBeLessThan(2_000);
    const bucket = Math.floor(Date.now() / 10_000);
    const before = upstream.exchanges.length;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        stacks[i % 2]
          .openai({ headers: { 'x-fake-usage': USAGE, 'x-fake-delay-ms': '20' } })
          .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }] })
          .withResponse()
          .then(
            ({ response }) => ({ status: 200, remaining: response.headers.get('x-ratelimit-remaining-requests') }),
            (e: { status?: number; message?: string; headers?: { get(name: string): string | null } }) => ({ status: e.status ?? 0, message: e.message, retryAfter: e.headers?.get('retry-after') }),
          ),
      ),
    );
    expect(Math.floor(Date.now() / 10_000), 'the storm stayed in one 10 s bucket').toBe(bucket);
    expect(upstream.exchanges.length - before).toBe(20);
    const ok = results.filter((r) => r.status === 200) as { remaining: string }[];
    expect(ok).toHaveLength(20);
    // Each admitted call saw its own count: 19 down to 0, once each.
    expect(ok.map((r) => Number(r.remaining)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const refused = results.filter((r) => r.status !== 200) as { status: number; message: string; retryAfter: string }[];
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.message).toMatch(/LLMLab rate limit "shared": 20 requests a minute; retry in \d+ s/);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(59);
    }
  });
});
