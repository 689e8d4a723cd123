import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant } from '../helpers/accounts.js';
import { databases } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe.each(databases())('gateway admin routes on $name', ({ url }) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(url);
  });
  afterAll(() => app?.close());

  it('stores, replaces, lists (hint only) and deletes provider keys, for admins only', async () => {
    const t = await newTenant(app);
    const other = await newTenant(app);
    const put = (token: string, key: string) => app.request('/api/gateway/provider-keys/openai', { method: 'PUT', token, body: { key } });
    expect((await put(t.apiKey, 'sk-aaaa1111')).status).toBe(403);
    expect(await json(put(t.token, 'sk-aaaa1111'))).toMatchObject({ provider: 'openai', hint: '...1111' });
    expect(await json(put(t.token, 'sk-bbbb2222'))).toMatchObject({ hint: '...2222' });
    const listed = await app.request('/api/gateway/provider-keys', { token: t.apiKey });
    const text = await listed.text();
    expect(JSON.parse(text).keys).toEqual([expect.objectContaining({ provider: 'openai', hint: '...2222' })]);
    expect(text).not.toContain('sk-bbbb');
    expect((await json<{ keys: unknown[] }>(app.request('/api/gateway/provider-keys', { token: other.token }))).keys).toEqual([]);
    const stored = await app.ctx.db.kysely.selectFrom('provider_keys').select('ciphertext').where('project_id', '=', t.projectId).executeTakeFirstOrThrow();
    expect(stored.ciphertext).not.toContain('sk-bbbb');
    expect((await app.request('/api/gateway/provider-keys/openai', { method: 'DELETE', token: t.token })).status).toBe(200);
    const again = await app.request('/api/gateway/provider-keys/openai', { method: 'DELETE', token: t.token });
    expect(again.status).toBe(404);
    expect((await again.json()).error.message).toBe('no openai key is stored for this project');
    const bad = await app.request('/api/gateway/provider-keys/cohere', { method: 'PUT', token: t.token, body: { key: 'sk-aaaa1111' } });
    expect(bad.status).toBe(400);
  });

  it('switches the fail mode and documents the gateway in the OpenAPI document', async () => {
    const t = await newTenant(app);
    const cache = { enabled: false, ttl_seconds: 3600 };
    expect(await json(app.request('/api/gateway/settings', { token: t.apiKey }))).toEqual({ fail_mode: 'open', cache });
    expect(await json(app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { fail_mode: 'closed' } }))).toEqual({ fail_mode: 'closed', cache });
    expect(await json(app.request('/api/gateway/settings', { token: t.apiKey }))).toEqual({ fail_mode: 'closed', cache });
    const doc = await json<{ paths: Record<string, unknown> }>(app.request('/api/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/proxy/openai/{path}', '/proxy/anthropic/{path}', '/v1/traces', '/api/gateway/provider-keys/{provider}', '/api/gateway/settings']));
  });
});
