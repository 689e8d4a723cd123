import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../helpers/accounts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type GatewayUpstream, startGatewayUpstream } from './gateway-upstream.js';

// Each call bills 100 input + 100 output tokens of gpt-4o-mini: 75,000 nanos; $0.0003 pays for 4.
const USAGE = JSON.stringify({ chat: { prompt_tokens: 100, cached_tokens: 0, completion_tokens: 100, reasoning_tokens: 0 } });

interface Key {
  id: string;
  key: string;
  allowed_models: string[] | null;
  allowed_providers: string[] | null;
  expires_at: string | null;
  metadata: Record<string, string> | null;
  budget: { id: string; amount: number; spent: number; remaining: number; hard_limit: boolean } | null;
}

describe('keys with limits (virtual keys) through the proxy', () => {
  let app: TestApp;
  let upstream: GatewayUpstream;
  let t: TestTenant;
  beforeAll(async () => {
    app = await createTestApp();
    upstream = await startGatewayUpstream();
    app.ctx.config.openaiBaseUrl = upstream.url;
    app.ctx.config.anthropicBaseUrl = upstream.url;
    t = await newTenant(app);
  });
  afterAll(async () => {
    await upstream?.close();
    await app?.close();
  });

  const makeKey = async (body: Record<string, unknown>) => {
    const res = await app.request('/api/keys', { token: t.token, body });
    expect(res.status).toBe(201);
    return (await res.json()) as Key;
  };
  const openai = (key: string, model: string) =>
    app.request('/proxy/openai/v1/chat/completions', {
      headers: { 'x-llmlab-key': key, authorization: 'Bearer sk-test', 'x-fake-usage': USAGE },
      body: { model, max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }] },
    });
  const anthropic = (key: string) =>
    app.request('/proxy/anthropic/v1/messages', {
      headers: { 'x-llmlab-key': key, 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' },
      body: { model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] },
    });
  const eventsOf = async (_keyId: string) =>
    (await json<{ events: { api_key_id?: string; cost_nanos: number | null }[] }>(app.request('/api/events?limit=1000', { token: t.token }))).events;

  it('refuses models and providers outside the key, in the provider\'s format, naming the rule', async () => {
    const key = await makeKey({ name: 'batch team', scopes: ['ingest', 'read'], allowed_models: ['gpt-4o-mini'], allowed_providers: ['openai'], metadata: { team: 'batch', owner: 'ana' } });
    expect(key).toMatchObject({ allowed_models: ['gpt-4o-mini'], allowed_providers: ['openai'], metadata: { team: 'batch', owner: 'ana' }, budget: null });
    const before = upstream.exchanges.length;
    expect((await openai(key.key, 'gpt-4o-mini')).status).toBe(200);
    const wrongModel = await openai(key.key, 'gpt-4o');
    expect(wrongModel.status).toBe(403);
    expect(await wrongModel.json()).toEqual({
      error: { message: 'LLMLab key "batch team" may call only the models gpt-4o-mini, not gpt-4o', type: 'invalid_request_error', param: null, code: 'insufficient_permissions' },
    });
    const wrongProvider = await anthropic(key.key);
    expect(wrongProvider.status).toBe(403);
    expect(await wrongProvider.json()).toMatchObject({ type: 'error', error: { type: 'permission_error', message: 'LLMLab key "batch team" may call only openai, not anthropic' } });
    expect(upstream.exchanges.length - before).toBe(1);
  });

  it('holds the key\'s own budget: refused once spent, and shown with its spend in GET /api/keys', async () => {
    const key = await makeKey({ name: 'capped', scopes: ['ingest', 'read'], budget: { amount: 0.0003 } });
    expect(key.budget).toMatchObject({ amount: 0.0003, spent: 0, remaining: 0.0003, hard_limit: true });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await openai(key.key, 'gpt-4o-mini')).status);
    // The 4th call's estimate (75,150 nanos) no longer fits beside 3 x 75,000 spent: 3 pass, the rest are refused.
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    const refused = await openai(key.key, 'gpt-4o-mini');
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('LLMLab hard budget "Key "capped"" (monthly, $0.0003) would be exceeded');
    await expect.poll(async () => (await eventsOf(key.id)).filter((e) => e.api_key_id === key.id).length).toBe(3);
    const listed = (await json<{ keys: Key[] }>(app.request('/api/keys', { token: t.token }))).keys.find((k) => k.id === key.id);
    expect(listed?.budget).toMatchObject({ spent: 0.000225, remaining: 0.000075 });
    // Another key of the project is not held by this key's budget.
    expect((await openai(t.apiKey, 'gpt-4o-mini')).status).toBe(200);
  });

  it('holds the key\'s own rate limit, shown in GET /api/keys', async () => {
    const key = await makeKey({ name: 'two a minute', scopes: ['ingest', 'read'], rate_limit: { requests_per_minute: 2 } });
    expect(key).toMatchObject({ rate_limit: { requests_per_minute: 2, tokens_per_minute: null, cost_per_hour: null } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await openai(key.key, 'gpt-4o-mini')).status);
    expect(statuses).toEqual([200, 200, 429]);
    // The project's other key has its own window.
    expect((await openai(t.apiKey, 'gpt-4o-mini')).status).toBe(200);
    const listed = (await json<{ keys: (Key & { rate_limit: unknown })[] }>(app.request('/api/keys', { token: t.token }))).keys.find((k) => k.id === key.id);
    expect(listed?.rate_limit).toMatchObject({ id: expect.any(String), requests_per_minute: 2 });
  });

  it('refuses a key after its expiry everywhere, and refuses an expiry in the past or a bad limit with 400', async () => {
    const key = await makeKey({ name: 'until friday', expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await app.request('/api/costs/summary', { token: key.key })).status).toBe(200);
    app.setNow(Date.now() + 2 * 3_600_000);
    try {
      const res = await app.request('/api/costs/summary', { token: key.key });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`this API key expired at ${key.expires_at}; ask an admin for a new one`);
      const proxied = await openai(key.key, 'gpt-4o-mini');
      expect(proxied.status).toBe(401);
    } finally {
      app.setNow(null);
    }
    const count = (await json<{ keys: unknown[] }>(app.request('/api/keys', { token: t.token }))).keys.length;
    for (const body of [
      { name: 'past', expires_at: '2020-01-01T00:00:00Z' },
      { name: 'none', allowed_models: [] },
      { name: 'which', allowed_providers: ['mystery'] },
      { name: 'free', budget: { amount: 0 } },
      { name: 'unlimited', rate_limit: {} },
    ]) {
      expect((await app.request('/api/keys', { token: t.token, body })).status).toBe(400);
    }
    expect((await json<{ keys: unknown[] }>(app.request('/api/keys', { token: t.token }))).keys).toHaveLength(count);
  });
});
