import { describe, expect, it } from 'vitest';
import { json, newTenant, track } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-16T12:00:00Z');
type Key = { id: string; prefix: string; last_used_at: string | null };

describe.each(databases())('API key last use on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);
  const keysOf = async (token: string) => (await json<{ keys: Key[] }>(app.request('/api/keys', { token }))).keys;
  const lastUsed = async (token: string, apiKey: string) => (await keysOf(token)).find((k) => apiKey.startsWith(k.prefix))?.last_used_at;
  const event = { provider: 'openai', model: 'gpt-4', input_tokens: 10, output_tokens: 5 };
  /** The write is fire-and-forget: let it run (setImmediate, then the database round trip). */
  const settle = () => new Promise((done) => setTimeout(done, 100));

  it('shows when a key was last used, written at most once a minute', async () => {
    const t = await newTenant(app);
    expect(await lastUsed(t.token, t.apiKey)).toBeNull();

    app.setNow(NOW);
    await track(app, t.apiKey, event);
    await expect.poll(() => lastUsed(t.token, t.apiKey)).toBe('2026-11-16T12:00:00.000Z');

    // Cleared behind the server's back: a second write within the minute would set it again.
    await app.ctx.db.kysely.updateTable('api_keys').set({ last_used_at: null }).where('project_id', '=', t.projectId).execute();
    app.setNow(NOW + 30_000);
    await track(app, t.apiKey, event);
    expect((await app.request('/api/costs/summary', { token: t.apiKey })).status).toBe(200);
    await settle();
    expect(await lastUsed(t.token, t.apiKey)).toBeNull();

    app.setNow(NOW + 61_000);
    await track(app, t.apiKey, event);
    await expect.poll(() => lastUsed(t.token, t.apiKey)).toBe('2026-11-16T12:01:01.000Z');
    app.setNow(NOW);
  });

  it('leaves keys that were not used, and refused uses, unrecorded', async () => {
    const t = await newTenant(app);
    const other = await json<{ key: string }>(app.request('/api/keys', { token: t.token, body: { name: 'unused', scopes: ['read'] } }));
    const elsewhere = await newTenant(app);
    // A key used on another project is refused, so it is not a use.
    expect((await app.request(`/api/costs/summary?project_id=${elsewhere.projectId}`, { token: other.key })).status).toBe(403);
    await track(app, t.apiKey, event);
    await expect.poll(() => lastUsed(t.token, t.apiKey)).toBe('2026-11-16T12:00:00.000Z');
    await settle();
    expect(await lastUsed(t.token, other.key)).toBeNull();
  });
});
