import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { type GatewayUpstream, startGatewayUpstream } from '../gateway/gateway-upstream.js';
import { json } from '../helpers/accounts.js';
import { pointGatewayAt } from '../helpers/gateway-upstreams.js';
import { createTestApp } from '../helpers/test-app.js';
import { fillPath, type Operation, operationsOf, sampleOf } from './openapi.js';
import { expectNoSecrets, pathValues, type SeededTenant, seedTenant, storedSecrets } from './tenant-data.js';

const app = await createTestApp();
const upstream: GatewayUpstream = await startGatewayUpstream();
pointGatewayAt(app.ctx.config, upstream.url);
const operations = operationsOf(await json(app.request('/api/openapi.json')));
const answers: string[] = [];
afterAll(async () => {
  await upstream.close();
  await app.close();
});

async function call(path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await app.request(path, init);
  const text = await res.text();
  answers.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function newKey(t: SeededTenant, scopes: string[]): Promise<{ id: string; key: string }> {
  const r = await call('/api/keys', { token: t.token, body: { name: `${scopes.join('+')} key`, scopes } });
  expect(r.status).toBe(201);
  return r.body;
}

/** Sends a valid request for `op` (own ids, sample body and required query) with `credential`. */
async function callOperation(op: Operation, t: SeededTenant, credential: string) {
  const query = new URLSearchParams(op.queryParams.filter((q) => q.required).map((q) => [q.name, String(sampleOf(q.schema))]));
  const url = `${fillPath(op.path, pathValues(op, t).values)}${query.size ? `?${query}` : ''}`;
  const headers: Record<string, string> = op.bearer ? { authorization: `Bearer ${credential}` } : { 'x-llmlab-key': credential };
  const body = op.body ? sampleOf(op.body) : undefined;
  return call(url, { method: op.method, headers, body });
}

describe('keys and sessions', () => {
  it('a revoked key fails from the next request on, on the API, the proxy and OTLP', async () => {
    const t = await seedTenant(app, 'revoke');
    const { id, key } = await newKey(t, ['ingest', 'read']);
    expect((await call('/api/events', { token: key })).status).toBe(200);
    expect((await call(`/api/keys/${id}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    expect(await call('/api/events', { token: key })).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'invalid or revoked API key' } } });
    expect((await call('/api/events/track', { token: key, body: { provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1 } })).status).toBe(401);
    const before = upstream.exchanges.length;
    const proxied = await call('/proxy/openai/v1/chat/completions', { headers: { 'x-llmlab-key': key }, body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] } });
    expect(proxied.status).toBe(401);
    expect(upstream.exchanges.length).toBe(before);
    expect((await call('/v1/traces', { headers: { 'x-llmlab-key': key }, body: { resourceSpans: [] } })).status).toBe(401);
    const keys = (await call('/api/keys', { token: t.token })).body.keys as { id: string; revoked_at: string | null }[];
    expect(keys.find((k) => k.id === id)?.revoked_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a logged-out session fails at once, as a bearer token and as the dashboard cookie', async () => {
    const t = await seedTenant(app, 'logout');
    const login = await call('/api/auth/login', { body: { email: t.email, password: t.password } });
    const token = login.body.token as string;
    const cookie = { cookie: `llmlab_session=${token}` };
    expect((await call('/api/me', { token })).status).toBe(200);
    expect((await call('/api/me', { headers: cookie })).status).toBe(200);
    expect((await call('/api/auth/logout', { method: 'POST', token })).status).toBe(200);
    const gone = { status: 401, body: { error: { code: 'unauthorized', message: 'session expired or logged out; log in again' } } };
    expect(await call('/api/me', { token })).toEqual(gone);
    expect(await call('/api/me', { headers: cookie })).toEqual(gone);
    // The tenant's other session is its own and still works.
    expect((await call('/api/me', { token: t.token })).status).toBe(200);
  });

  it('an ingest key reads nothing: every GET route of the document answers 403', async () => {
    const t = await seedTenant(app, 'ingest-only');
    const { key } = await newKey(t, ['ingest']);
    const refused: string[] = [];
    for (const op of operations.filter((o) => o.bearer && o.method === 'GET')) {
      const r = await callOperation(op, t, key);
      if (r.status !== 403) refused.push(`${op.method} ${op.path} -> ${r.status}`);
    }
    expect(refused).toEqual([]);
    expect((await call('/api/events/track', { token: key, body: { provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1 } })).status).toBe(201);
  });

  it('a read key writes nothing: every other route of the document answers 401 or 403 and nothing reaches an upstream', async () => {
    const t = await seedTenant(app, 'read-only');
    const { key } = await newKey(t, ['read']);
    const before = upstream.exchanges.length;
    const accepted: string[] = [];
    // Signing in and accepting an invitation are public: they take no key.
    for (const op of operations.filter((o) => o.method !== 'GET' && !o.path.startsWith('/api/auth/') && o.path !== '/api/invitations/accept')) {
      const r = await callOperation(op, t, key);
      if (r.status !== 403 && r.status !== 401) accepted.push(`${op.method} ${op.path} -> ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
    }
    expect(accepted).toEqual([]);
    expect(upstream.exchanges.length).toBe(before);
    expect((await call('/api/events', { token: key })).status).toBe(200);
  });

  it('admin routes refuse the default ingest and read key', async () => {
    const t = await seedTenant(app, 'not-admin');
    for (const path of ['/api/keys', '/api/admin/rollup-check']) {
      expect(await call(path, { token: t.apiKey })).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'this credential lacks the "admin" scope' } } });
    }
  });

  it('no answer of this file holds a password hash, a key or token hash, or a provider key ciphertext', async () => {
    const t = await seedTenant(app, 'hashes');
    const me = await call('/api/me', { token: t.token });
    expect(Object.keys(me.body.user).sort()).toEqual(['email', 'id', 'name']);
    const keys = await call('/api/keys', { token: t.token });
    for (const k of keys.body.keys) expect(Object.keys(k).sort()).toEqual(['allowed_models', 'allowed_providers', 'budget', 'created_at', 'created_by', 'expires_at', 'id', 'last_used_at', 'metadata', 'name', 'prefix', 'rate_limit', 'revoked_at', 'scopes']);
    expect(JSON.stringify((await call('/api/gateway/provider-keys', { token: t.token })).body)).not.toContain('provider-key');
    expectNoSecrets(answers, await storedSecrets(app));
  });
});

describe('security headers on the dashboard', () => {
  const dist = mkdtempSync(join(tmpdir(), 'llmlab-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
  const dashboard = createApp(app.ctx, { webDist: dist });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it.each(['/', '/events', '/budgets?project_id=x'])('%s: CSP without inline scripts, frame-ancestors none, nosniff', async (path) => {
    const res = await dashboard.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = Object.fromEntries((res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toContain('<div id="root"></div>');
  });

  it('API answers carry nosniff and are never cached', async () => {
    const res = await dashboard.request('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['a tracked event', { provider: 'openai', model: 'gpt-4', input_tokens: 1, output_tokens: 1 }, 201],
    ['a refused event', { provider: 'openai', model: 'gpt-4', input_tokens: -1, output_tokens: 1 }, 400],
  ])('ingest answers carry the same headers: %s', async (_, body, status) => {
    const t = await seedTenant(app, `headers-${status}`);
    const res = await dashboard.request('/api/events/track', { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
