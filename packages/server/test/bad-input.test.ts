import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant } from './helpers/accounts.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('bad input gets a clear 4xx and changes nothing', () => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await createTestApp();
    key = (await newTenant(app)).apiKey;
  });
  afterAll(() => app.close());

  const base = { provider: 'openai', model: 'gpt-4', input_tokens: 10, output_tokens: 10 };
  it.each([
    ['malformed JSON', '{"provider": "openai",', 400, 'bad_request', 'request body is not valid JSON'],
    ['a missing token count', { provider: 'openai', model: 'gpt-4', output_tokens: 1 }, 400, 'validation_failed', 'input_tokens: input_tokens must be a whole number of tokens'],
    ['negative tokens', { ...base, output_tokens: -1 }, 400, 'validation_failed', 'output_tokens: output_tokens must not be negative'],
    ['non-integer tokens', { ...base, input_tokens: 10.5 }, 400, 'validation_failed', 'input_tokens: input_tokens must be a whole number of tokens'],
    ['a string for a number', { ...base, input_tokens: '10' }, 400, 'validation_failed', 'input_tokens: input_tokens must be a whole number of tokens'],
    ['an unknown field', { ...base, colour: 'red' }, 400, 'validation_failed', 'Unrecognized key: "colour"'],
    ['an unknown provider', { ...base, provider: 'acme-llm' }, 400, 'validation_failed', 'provider: unknown provider "acme-llm"; see GET /api/prices for the accepted names'],
    ['a timestamp far in the future', { ...base, timestamp: '2099-01-01T00:00:00Z' }, 400, 'validation_failed', 'timestamp: timestamp is in the future'],
    ['a timestamp that is not a date', { ...base, timestamp: 'yesterday' }, 400, 'validation_failed', 'timestamp: timestamp must be epoch milliseconds or an ISO 8601 date-time'],
    ['cached tokens above input', { ...base, cached_input_tokens: 11 }, 400, 'validation_failed', 'cached_input_tokens: cached_input_tokens plus cache_write_tokens cannot exceed input_tokens (input includes them)'],
    ['tags of the wrong type', { ...base, tags: ['a'] }, 400, 'validation_failed', 'tags: Invalid input: expected record, received array'],
  ])('%s', async (_name, body, status, code, message) => {
    const res = await app.request('/api/events/track', { token: key, body });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: expect.objectContaining({ code, message }) });
  });

  it('refuses a 10 MB body with 413', async () => {
    const res = await app.request('/api/events/batch', { token: key, body: `{"events":[${'"x",'.repeat(2_600_000)}"x"]}` });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('stored none of the above', async () => {
    expect((await json<{ events: unknown[] }>(app.request('/api/events', { token: key }))).events).toHaveLength(0);
  });

  it('answers unknown routes and missing credentials in the same error shape', async () => {
    expect(await json(app.request('/api/nope'))).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nope' } });
    const r = await app.request('/api/costs/summary');
    expect(r.status).toBe(401);
    expect((await app.request('/api/costs/summary', { token: 'llmlab_not-a-real-key' })).status).toBe(401);
  });

  it('describes every API route in /api/openapi.json', async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(app.request('/api/openapi.json'));
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const { createApp } = await import('../src/app.js');
    const served = createApp(app.ctx).routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.path !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(25);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });
});
