import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant } from '../helpers/accounts.js';
import { databases } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { DatabaseHealth, ProjectProfiles } from '../../src/proxy/project-profiles.js';
import { PROVIDERS } from '../../src/proxy/providers.js';

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
    const bad = await app.request('/api/gateway/provider-keys/bedrock', { method: 'PUT', token: t.token, body: { key: 'sk-aaaa1111' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('provider must be one of openai, anthropic, google, azure, cohere, groq');
  });

  it('switches the fail mode and documents the gateway in the OpenAPI document', async () => {
    const t = await newTenant(app);
    const cache = { enabled: false, ttl_seconds: 3600 };
    expect(await json(app.request('/api/gateway/settings', { token: t.apiKey }))).toEqual({ fail_mode: 'open', cache, azure_endpoint: null });
    expect(await json(app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { fail_mode: 'closed' } }))).toEqual({ fail_mode: 'closed', cache, azure_endpoint: null });
    expect(await json(app.request('/api/gateway/settings', { token: t.apiKey }))).toEqual({ fail_mode: 'closed', cache, azure_endpoint: null });
    const doc = await json<{ paths: Record<string, unknown> }>(app.request('/api/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/proxy/openai/{path}', '/proxy/anthropic/{path}', '/proxy/google/{path}', '/proxy/azure/{path}', '/proxy/cohere/{path}', '/proxy/{host}/{path}', '/v1/traces', '/api/gateway/provider-keys/{provider}', '/api/gateway/settings']),
    );
  });

  it("keeps a project's Azure OpenAI endpoint: an Azure resource over https only, which the Azure route then forwards to", async () => {
    const t = await newTenant(app);
    const patch = (azure_endpoint: string | null) => app.request('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { azure_endpoint } });
    const set = await json<{ azure_endpoint: string | null }>(patch('https://contoso-eastus.openai.azure.com/'));
    expect(set.azure_endpoint).toBe('https://contoso-eastus.openai.azure.com');
    for (const bad of ['http://contoso.openai.azure.com', 'https://169.254.169.254', 'https://contoso.openai.azure.com.evil.example', 'https://contoso.openai.azure.com/openai/deployments', 'not a url']) {
      const res = await patch(bad);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error.message).toMatch(/^azure_endpoint: /);
    }
    expect((await json<{ azure_endpoint: string | null }>(app.request('/api/gateway/settings', { token: t.apiKey }))).azure_endpoint).toBe('https://contoso-eastus.openai.azure.com');
    // The proxy reads the endpoint from the project's profile before the server's LLMLAB_AZURE_BASE_URL.
    const profile = await new ProjectProfiles(app.ctx, new DatabaseHealth()).lookup(t.apiKey);
    expect(profile.status === 'ok' && PROVIDERS.azure.baseUrl(app.ctx.config, profile.profile)).toBe('https://contoso-eastus.openai.azure.com');
    expect((await json<{ azure_endpoint: string | null }>(patch(null))).azure_endpoint).toBeNull();
    const audit = await json<{ entries: { action: string; after: unknown }[] }>(app.request('/api/audit-log?action=gateway_settings.updated', { token: t.token }));
    expect(audit.entries.map((e) => e.after)).toEqual([{ azure_endpoint: null }, { azure_endpoint: 'https://contoso-eastus.openai.azure.com' }]);
  });
});
