import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../helpers/accounts.js';
import { databases } from '../helpers/databases.js';
import type { StoredEvent } from '../helpers/stored-event.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type GatewayStack, startGatewayStack } from './gateway-stack.js';
import { type GatewayUpstream, startGatewayUpstream } from './gateway-upstream.js';

// gpt-4o-mini in the bundled catalog: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
// Default fake chat usage: 1,200 prompt tokens of which 1,024 cached, 300 completion tokens.
const CHAT_COST_NANOS = 176 * 150 + 1024 * 75 + 300 * 600;
const DAY = 86_400_000;
const MESSAGES = [{ role: 'user' as const, content: 'Say hello' }];

/** The official SDKs' fetch, answered by the app in-process (the proxy's Hono route, as `app.request` reaches it). */
function inProcessFetch(app: TestApp) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    return app.request(url.pathname + url.search, { method: init?.method ?? 'GET', headers, body: typeof init?.body === 'string' ? init.body : undefined });
  };
}

describe.each(databases())('the response cache of the proxy on $name', ({ url }) => {
  let app: TestApp;
  let upstream: GatewayUpstream;
  /** Each test that moves the clock gets its own era, later than any before it, so the once-a-minute sweep runs when it expects. */
  let era = Date.now() + DAY;
  const nextEra = () => {
    era += 10 * DAY;
    return era;
  };
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

  const enable = async (t: TestTenant, cache: { enabled: boolean; ttl_seconds?: number } = { enabled: true, ttl_seconds: 600 }, project?: string) => {
    const res = await app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { cache }, headers: project ? { 'x-llmlab-project': project } : {} });
    expect(res.status).toBe(200);
  };
  const chat = (key: string, body: Record<string, unknown> | string, headers: Record<string, string> = {}) =>
    app.request('/proxy/openai/v1/chat/completions', { headers: { 'x-llmlab-key': key, authorization: 'Bearer sk-test', ...headers }, body });
  const events = async (t: TestTenant) => (await json<{ events: StoredEvent[] }>(app.request('/api/events?limit=1000', { token: t.token }))).events;
  const recorded = async (t: TestTenant, count: number) => {
    await expect.poll(async () => (await events(t)).length).toBe(count);
    return events(t);
  };
  const stored = (projectId: string) => app.ctx.db.kysely.selectFrom('response_cache').select(['created_at', 'size_bytes', 'model']).where('project_id', '=', projectId).orderBy('created_at').execute();
  const forwarded = () => upstream.exchanges.length;
  const openai = (t: TestTenant, headers: Record<string, string> = {}) =>
    new OpenAI({ apiKey: 'sk-test', baseURL: 'http://in-process/proxy/openai/v1', maxRetries: 0, fetch: inProcessFetch(app), defaultHeaders: { 'x-llmlab-key': t.apiKey, ...headers } });

  it('answers the same call again from the cache, whatever its key order, and records the hit at $0 with what it saved to the nanodollar', async () => {
    const t = await newTenant(app);
    await enable(t);
    const before = forwarded();
    const first = await chat(t.apiKey, '{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":"Say hello"}]}');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-llmlab-cache')).toBe('MISS');
    const firstBody = await first.text();
    await expect.poll(async () => (await stored(t.projectId)).length).toBe(1);

    const second = await chat(t.apiKey, '{ "messages": [ { "content": "Say hello", "role": "user" } ], "temperature": 0, "model": "gpt-4o-mini" }');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-llmlab-cache')).toBe('HIT');
    expect(second.headers.get('content-type')).toBe('application/json');
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(await second.text()).toBe(firstBody);
    expect(forwarded()).toBe(before + 1);

    const [hit, miss] = [...(await recorded(t, 2))].sort((a, b) => Number(b.cache_hit) - Number(a.cache_hit));
    expect(miss).toMatchObject({ cache_hit: false, cost_nanos: CHAT_COST_NANOS, saved: null, saved_nanos: null, input_tokens: 1200 });
    expect(hit).toMatchObject({
      cache_hit: true,
      cost: 0,
      cost_nanos: 0,
      priced: true,
      price_source: 'cache_hit',
      saved_nanos: CHAT_COST_NANOS,
      saved: CHAT_COST_NANOS / 1e9,
      model: miss.model,
      input_tokens: 0,
      output_tokens: 0,
      status: 'success',
      source: 'proxy',
    });
    expect(hit.metadata).toMatchObject({ cache: 'hit', http_status: 200, cached_usage: { input_tokens: 1200, cached_input_tokens: 1024, output_tokens: 300, reasoning_tokens: 64 } });

    const summary = await json<Record<string, number>>(app.request('/api/costs/summary?days=7', { token: t.token }));
    expect(summary).toMatchObject({ calls: 2, total_spend_nanos: CHAT_COST_NANOS, cache_savings: CHAT_COST_NANOS / 1e9, cache_savings_nanos: CHAT_COST_NANOS, cache_hits: 1 });
    const breakdown = await json<Record<string, number>>(app.request('/api/costs/breakdown?days=7&group_by=user', { token: t.token }));
    expect(breakdown).toMatchObject({ total_nanos: CHAT_COST_NANOS, saved_nanos: CHAT_COST_NANOS, cache_hits: 1 });
    const csv = await (await app.request('/api/export?format=csv', { token: t.token })).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    // Counted from the end: the metadata cell before them holds commas, the columns after them none here.
    const names = header.split(',');
    const after = names.length - 1 - names.indexOf('saved_usd');
    expect(names.slice(-after - 2, names.length - after)).toEqual(['cache_hit', 'saved_usd']);
    expect(rows.map((r) => r.split(',').slice(-after - 2, r.split(',').length - after).join(',')).sort()).toEqual(['false,', `true,${CHAT_COST_NANOS / 1e9}`]);
  });

  it("never answers one project's call with another project's answer, in the same org or another", async () => {
    const t = await newTenant(app);
    const stranger = await newTenant(app);
    const project = await json<{ id: string }>(app.request('/api/projects', { token: t.token, body: { name: 'second' } }));
    const key = await json<{ key: string }>(app.request('/api/keys', { token: t.token, headers: { 'x-llmlab-project': project.id }, body: { name: 'second', scopes: ['ingest', 'read'] } }));
    await enable(t);
    await enable(stranger);
    await enable(t, { enabled: true }, project.id);
    const body = { model: 'gpt-4o-mini', temperature: 0, messages: MESSAGES };
    expect((await chat(t.apiKey, body)).headers.get('x-llmlab-cache')).toBe('MISS');
    await expect.poll(async () => (await stored(t.projectId)).length).toBe(1);
    expect((await chat(t.apiKey, body)).headers.get('x-llmlab-cache')).toBe('HIT');
    const before = forwarded();
    expect((await chat(stranger.apiKey, body)).headers.get('x-llmlab-cache')).toBe('MISS');
    expect((await chat(key.key, body)).headers.get('x-llmlab-cache')).toBe('MISS');
    expect(forwarded()).toBe(before + 2);
    expect((await recorded(stranger, 1))[0]).toMatchObject({ cache_hit: false, cost_nanos: CHAT_COST_NANOS });
  });

  it('replays an OpenAI stream byte for byte as the same SSE, which the official SDK parses, with or without the usage chunk asked for', async () => {
    const t = await newTenant(app);
    await enable(t);
    const client = openai(t);
    const withUsage = { model: 'gpt-4o-mini', temperature: 0, messages: MESSAGES, stream: true as const, stream_options: { include_usage: true } };
    const missed = await client.chat.completions.create(withUsage).asResponse();
    expect(missed.headers.get('x-llmlab-cache')).toBe('MISS');
    const missedBytes = Buffer.from(await missed.arrayBuffer());
    expect(missedBytes.equals(upstream.exchanges[upstream.exchanges.length - 1].response)).toBe(true);
    await expect.poll(async () => (await stored(t.projectId)).length).toBe(1);

    const before = forwarded();
    const hit = await client.chat.completions.create(withUsage).asResponse();
    expect(hit.headers.get('x-llmlab-cache')).toBe('HIT');
    expect(hit.headers.get('content-type')).toContain('text/event-stream');
    expect(Buffer.from(await hit.arrayBuffer()).equals(missedBytes)).toBe(true);
    const { data: stream, response } = await client.chat.completions.create(withUsage).withResponse();
    expect(response.headers.get('x-llmlab-cache')).toBe('HIT');
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the fake upstream.');
    expect(chunks[chunks.length - 1].usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 300 });

    // The same stream without stream_options: one entry (the proxy asks for usage either way), the usage chunk removed on replay as on the first call.
    const silent = { model: 'gpt-4o-mini', temperature: 0, messages: MESSAGES, stream: true as const };
    const replayed = await client.chat.completions.create(silent).asResponse();
    expect(replayed.headers.get('x-llmlab-cache')).toBe('HIT');
    const replayedText = await replayed.text();
    expect(replayedText).not.toContain('"choices":[]');
    expect(`${replayedText}`.split('\n\n').filter(Boolean)).toHaveLength(missedBytes.toString().split('\n\n').filter(Boolean).length - 1);
    const quiet = [];
    for await (const chunk of await client.chat.completions.create(silent)) quiet.push(chunk);
    expect(quiet.every((c) => c.choices.length === 1)).toBe(true);
    expect(forwarded()).toBe(before);

    const all = await recorded(t, 5);
    const miss = all.find((e) => !e.cache_hit);
    expect(miss).toMatchObject({ cost_nanos: CHAT_COST_NANOS });
    expect(all.filter((e) => e.cache_hit).map((e) => e.saved_nanos)).toEqual([CHAT_COST_NANOS, CHAT_COST_NANOS, CHAT_COST_NANOS, CHAT_COST_NANOS]);
    expect(all.filter((e) => e.cache_hit).every((e) => e.metadata?.stream === true)).toBe(true);
  });

  it('replays an Anthropic message stream byte for byte, which the official SDK parses', async () => {
    const t = await newTenant(app);
    await enable(t);
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: 'http://in-process/proxy/anthropic', maxRetries: 0, fetch: inProcessFetch(app), defaultHeaders: { 'x-llmlab-key': t.apiKey } });
    const params = { model: 'claude-3-haiku-20240307', max_tokens: 400, temperature: 0, messages: [{ role: 'user' as const, content: 'Say hello' }] };
    const body = { ...params, stream: true as const };
    const missed = await client.messages.create(body).asResponse();
    expect(missed.headers.get('x-llmlab-cache')).toBe('MISS');
    const missedBytes = Buffer.from(await missed.arrayBuffer());
    await expect.poll(async () => (await stored(t.projectId)).length).toBe(1);
    const before = forwarded();
    const hit = await client.messages.create(body).asResponse();
    expect(hit.headers.get('x-llmlab-cache')).toBe('HIT');
    expect(Buffer.from(await hit.arrayBuffer()).equals(missedBytes)).toBe(true);
    const message = await client.messages.stream(params).finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text' })]);
    expect(message.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 2000, cache_creation_input_tokens: 500, output_tokens: 400 });
    expect(forwarded()).toBe(before);
    const all = await recorded(t, 3);
    const miss = all.find((e) => !e.cache_hit);
    expect(miss?.cost_nanos).toBeGreaterThan(0);
    expect(all.filter((e) => e.cache_hit).map((e) => e.saved_nanos)).toEqual([miss?.cost_nanos, miss?.cost_nanos]);
  });

  it('leaves sampled calls to the provider unless the request itself asks for the cache, and stays silent when nobody asked', async () => {
    const silent = await newTenant(app);
    const quiet = await chat(silent.apiKey, { model: 'gpt-4o-mini', temperature: 0, messages: MESSAGES });
    expect(quiet.status).toBe(200);
    expect(quiet.headers.get('x-llmlab-cache')).toBeNull();
    const t = await newTenant(app);
    await enable(t);
    const before = forwarded();
    const sampled = { model: 'gpt-4o-mini', messages: MESSAGES };
    for (const body of [sampled, sampled, { ...sampled, temperature: 0.7 }, { ...sampled, temperature: 0, n: 2 }]) {
      expect((await chat(t.apiKey, body)).headers.get('x-llmlab-cache')).toBe('BYPASS');
    }
    expect(forwarded()).toBe(before + 4);
    expect((await chat(t.apiKey, sampled, { 'x-llmlab-cache': 'true' })).headers.get('x-llmlab-cache')).toBe('MISS');
    await expect.poll(async () => (await stored(t.projectId)).length).toBe(1);
    expect((await chat(t.apiKey, sampled, { 'x-llmlab-cache': 'true' })).headers.get('x-llmlab-cache')).toBe('HIT');
    // Without the header, the project setting still does not serve a sampled call from the cache.
    expect((await chat(t.apiKey, sampled)).headers.get('x-llmlab-cache')).toBe('BYPASS');
    expect((await chat(t.apiKey, sampled, { 'x-llmlab-cache': 'false' })).headers.get('x-llmlab-cache')).toBeNull();
    expect(forwarded()).toBe(before + 7);
    const bad = await chat(t.apiKey, sampled, { 'x-llmlab-cache': 'true', 'x-llmlab-cache-ttl': 'forever' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'LLMLab proxy: x-llmlab-cache-ttl must be a whole number of seconds from 1 to 604800' } });
  });

  it('serves an answer for its TTL and no longer; a request may ask for fresher answers', async () => {
    const t = await newTenant(app);
    await enable(t, { enabled: true, ttl_seconds: 60 });
    const T = nextEra();
    const body = { model: 'gpt-4o-mini', temperature: 0, messages: MESSAGES };
    const status = async (at: number, headers: Record<string, string> = {}) => {
      app.setNow(at);
      const res = await chat(t.apiKey, body, headers);
      expect(res.status).toBe(200);
      return res.headers.get('x-llmlab-cache');
    };
    try {
      expect(await status(T)).toBe('MISS');
      await expect.poll(async () => (await stored(t.projectId)).length).toBe(1);
      expect(await status(T + 59_999)).toBe('HIT');
      expect(await status(T + 60_000)).toBe('MISS');
      await expect.poll(async () => (await stored(t.projectId)).map((r) => r.created_at)).toEqual([T + 60_000]);
      expect(await status(T + 70_000)).toBe('HIT');
      expect(await status(T + 70_000, { 'x-llmlab-cache-ttl': '5' })).toBe('MISS');
      await expect.poll(async () => (await stored(t.projectId)).map((r) => r.created_at)).toEqual([T + 70_000]);
      expect(await status(T + 74_999, { 'x-llmlab-cache-ttl': '5' })).toBe('HIT');
      // Recorded before the clock goes back: an event stamped in the future would be refused.
      const all = await recorded(t, 6);
      expect(all.filter((e) => e.cache_hit)).toHaveLength(3);
    } finally {
      app.setNow(null);
    }
  });

  it('keeps each project and the whole cache within their bounds, oldest answers first, and sweeps expired answers', async () => {
    const a = await newTenant(app);
    const b = await newTenant(app);
    await enable(a);
    await enable(b);
    const limits = { ...app.ctx.config.responseCache };
    const E = nextEra();
    const store = async (t: TestTenant, at: number, n: number) => {
      app.setNow(at);
      const res = await chat(t.apiKey, { model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: `question ${n}` }] });
      expect(res.headers.get('x-llmlab-cache')).toBe('MISS');
      await res.text();
      // Stored in the background, at the clock's time: wait before it moves on.
      await expect.poll(async () => (await ages(t)).includes(at)).toBe(true);
    };
    const ages = async (t: TestTenant) => (await stored(t.projectId)).map((r) => r.created_at);
    try {
      await store(a, E, 1);
      await expect.poll(() => ages(a)).toEqual([E]);
      const [{ size_bytes: size }] = await stored(a.projectId);
      app.ctx.config.responseCache = { maxBytes: 100 * size, maxProjectBytes: Math.floor(2.5 * size), maxEntryBytes: 2 * size };
      await store(a, E + 1000, 2);
      await store(a, E + 2000, 3);
      await expect.poll(() => ages(a)).toEqual([E + 1000, E + 2000]);
      expect((await stored(a.projectId)).every((r) => r.size_bytes === size)).toBe(true);
      // The evicted first answer is asked for again: a miss.
      await store(a, E + 3000, 1);
      await expect.poll(() => ages(a)).toEqual([E + 2000, E + 3000]);

      // The whole cache: checked at most once a minute, then the oldest answers of any project go.
      app.ctx.config.responseCache = { ...app.ctx.config.responseCache, maxBytes: Math.floor(3.5 * size) };
      await store(b, E + 120_000, 1);
      await expect.poll(() => ages(b)).toEqual([E + 120_000]);
      await store(b, E + 130_000, 2);
      await store(b, E + 200_000, 3);
      await expect.poll(() => ages(b)).toEqual([E + 130_000, E + 200_000]);
      await expect.poll(() => ages(a)).toEqual([E + 3000]);

      // A's answers expire 600 s after they were stored; the next sweep removes them.
      await store(b, E + 700_000, 4);
      await expect.poll(() => ages(a)).toEqual([]);
      await expect.poll(() => ages(b)).toEqual([E + 200_000, E + 700_000]);
      await recorded(a, 4);
      await recorded(b, 4);
    } finally {
      app.setNow(null);
      app.ctx.config.responseCache = limits;
    }
  });

  it('never stores an error, an answer without usage, or an answer past the size a cached answer may have', async () => {
    const t = await newTenant(app);
    await enable(t);
    const body = { model: 'gpt-4o-mini', temperature: 0, messages: MESSAGES };
    const before = forwarded();
    for (const status of [400, 429, 500, 503]) {
      const fail = JSON.stringify({ status, body: { error: { message: `failure ${status}`, type: 'server_error' } } });
      for (let i = 0; i < 2; i++) {
        const res = await chat(t.apiKey, body, { 'x-fake-fail': fail });
        expect(res.status).toBe(status);
        expect(res.headers.get('x-llmlab-cache')).toBe('MISS');
      }
    }
    for (let i = 0; i < 2; i++) expect((await chat(t.apiKey, body, { 'x-fake-no-usage': '1' })).headers.get('x-llmlab-cache')).toBe('MISS');
    const limits = app.ctx.config.responseCache;
    app.ctx.config.responseCache = { ...limits, maxEntryBytes: 100 };
    try {
      for (let i = 0; i < 2; i++) expect((await chat(t.apiKey, body)).headers.get('x-llmlab-cache')).toBe('MISS');
    } finally {
      app.ctx.config.responseCache = limits;
    }
    expect(forwarded()).toBe(before + 12);
    await recorded(t, 12);
    expect(await stored(t.projectId)).toEqual([]);
  });

  it('serves a cached answer while a hard budget refuses new calls: a hit costs nothing and reserves nothing', async () => {
    const t = await newTenant(app);
    await enable(t);
    // $0.0002 admits the first call (estimated at 4 prompt tokens and max_tokens 300: 180,600 nanos), which costs 283,200.
    expect((await app.request('/api/budgets', { token: t.token, body: { name: 'Cap', amount: 0.0002, period: 'monthly', hard_limit: true } })).status).toBe(201);
    const body = { model: 'gpt-4o-mini', temperature: 0, max_tokens: 300, messages: MESSAGES };
    expect((await chat(t.apiKey, body)).status).toBe(200);
    await expect.poll(async () => (await stored(t.projectId)).length).toBe(1);
    await recorded(t, 1);
    const reservations = () => app.ctx.db.kysely.selectFrom('budget_reservations').select('id').where('project_id', '=', t.projectId).execute();
    const refused = await chat(t.apiKey, { ...body, messages: [{ role: 'user', content: 'Say hi' }] });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-llmlab-gateway-error')).toBe('budget_exceeded');
    const hit = await chat(t.apiKey, body);
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-llmlab-cache')).toBe('HIT');
    expect(await reservations()).toEqual([]);
    const hits = (await recorded(t, 2)).filter((e) => e.cache_hit);
    expect(hits).toMatchObject([{ cost_nanos: 0, saved_nanos: CHAT_COST_NANOS }]);
  });

  it('keeps the cache setting with the gateway settings: off by default, changed by admins, audited', async () => {
    const t = await newTenant(app);
    expect(await json(app.request('/api/gateway/settings', { token: t.apiKey }))).toEqual({ fail_mode: 'open', cache: { enabled: false, ttl_seconds: 3600 }, azure_endpoint: null });
    const changed = await app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { cache: { enabled: true, ttl_seconds: 120 } } });
    expect(await changed.json()).toEqual({ fail_mode: 'open', cache: { enabled: true, ttl_seconds: 120 }, azure_endpoint: null });
    expect(await json(app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { fail_mode: 'closed' } }))).toEqual({ fail_mode: 'closed', cache: { enabled: true, ttl_seconds: 120 }, azure_endpoint: null });
    expect(await json(app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { cache: { enabled: false } } }))).toEqual({ fail_mode: 'closed', cache: { enabled: false, ttl_seconds: 120 }, azure_endpoint: null });
    expect((await app.request('/api/gateway/settings', { method: 'PATCH', token: t.apiKey, body: { cache: { enabled: true } } })).status).toBe(403);
    for (const body of [{}, { cache: { enabled: true, ttl_seconds: 0 } }, { cache: { enabled: true, ttl_seconds: 604_801 } }, { cache: { ttl_seconds: 60 } }, { cache: true }]) {
      expect((await app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body })).status).toBe(400);
    }
    const audit = await json<{ entries: { before: unknown; after: unknown }[] }>(app.request('/api/audit-log?action=gateway_settings.updated', { token: t.token }));
    expect(audit.entries.map((e) => [e.before, e.after])).toEqual([
      [{ cache: { enabled: true, ttl_seconds: 120 } }, { cache: { enabled: false, ttl_seconds: 120 } }],
      [{ fail_mode: 'open' }, { fail_mode: 'closed' }],
      [{ cache: { enabled: false, ttl_seconds: 3600 } }, { cache: { enabled: true, ttl_seconds: 120 } }],
    ]);
  });
});

describe('the response cache through the real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
    expect((await s.api('/api/gateway/settings', { method: 'PATCH', body: { cache: { enabled: true, ttl_seconds: 600 } } })).status).toBe(200);
  });
  afterAll(() => s?.stop());

  it('writes a hit straight to the socket: JSON and streams, parsed by the official SDK, without calling the provider', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'cached' } });
    const body = { model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user' as const, content: 'Say hello' }] };
    const first = await client.chat.completions.create(body).withResponse();
    expect(first.response.headers.get('x-llmlab-cache')).toBe('MISS');
    const streamed = { ...body, stream: true as const, stream_options: { include_usage: true } };
    const firstStream = Buffer.from(await (await client.chat.completions.create(streamed).asResponse()).arrayBuffer());
    await s.waitForEvents(2, { feature: 'cached' });
    const before = s.upstream.exchanges.length;
    const poll = async () => (await client.chat.completions.create(body).withResponse()).response.headers.get('x-llmlab-cache');
    await expect.poll(poll).toBe('HIT');
    const again = await client.chat.completions.create(body).withResponse();
    expect(again.data).toEqual(first.data);
    const hitStream = await client.chat.completions.create(streamed).asResponse();
    expect(hitStream.headers.get('x-llmlab-cache')).toBe('HIT');
    expect(Buffer.from(await hitStream.arrayBuffer()).equals(firstStream)).toBe(true);
    const chunks = [];
    for await (const chunk of await client.chat.completions.create(streamed)) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the fake upstream.');
    expect(s.upstream.exchanges.length).toBe(before);
    const summary = async () => (await (await s.api('/api/costs/summary?days=1')).json()) as { cache_hits: number; cache_savings_nanos: number };
    await expect.poll(async () => (await summary()).cache_hits).toBeGreaterThanOrEqual(4);
    const { cache_hits, cache_savings_nanos } = await summary();
    expect(cache_savings_nanos).toBe(cache_hits * CHAT_COST_NANOS);
  });
});
