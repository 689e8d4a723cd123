import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant, track } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { createTestApp, type TestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
// gpt-4 at $30 / $60 per million tokens: 1,000 in + 500 out = $0.06.
const GPT4_CALL = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 };
const GPT4_NANOS = 60_000_000;

interface KeyRow {
  key: string | null;
  name: string;
  prefix: string | null;
  created_by: { user_id: string; email: string } | null;
  spend: number;
  spend_nanos: number;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  unpriced_calls: number;
  share: number;
}

interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
}

describe.each(databases())('spend per API key on $name', ({ url }) => {
  let app: TestApp;
  let t: TestTenant;
  let other: TestTenant;
  let backend: CreatedKey;
  let batch: CreatedKey;
  let me: { user_id: string; email: string };

  const createKey = async (tenant: TestTenant, name: string) => {
    const res = await app.request('/api/keys', { token: tenant.token, body: { name, scopes: ['ingest', 'read'] } });
    expect(res.status).toBe(201);
    return (await res.json()) as CreatedKey;
  };
  const byKey = (token: string) => json<{ group_by: string; rows: KeyRow[]; total: number; total_nanos: number }>(app.request('/api/costs/breakdown?days=7&group_by=api_key', { token }));

  beforeAll(async () => {
    app = await createTestApp(url);
    app.setNow(NOW);
    [t, other] = [await newTenant(app), await newTenant(app)];
    const { user } = await json<{ user: { id: string; email: string } }>(app.request('/api/me', { token: t.token }));
    me = { user_id: user.id, email: t.email };
    expect(user.email).toBe(t.email);
    [backend, batch] = [await createKey(t, 'backend'), await createKey(t, 'batch jobs')];
    await track(app, backend.key, { ...GPT4_CALL, timestamp: '2026-11-27T09:00:00Z' });
    await track(app, backend.key, { ...GPT4_CALL, timestamp: '2026-11-26T09:00:00Z' });
    const batched = await app.request('/api/events/batch', {
      token: batch.key,
      body: { events: [{ ...GPT4_CALL, timestamp: '2026-11-27T10:00:00Z' }, { provider: 'openai', model: 'model-nobody-prices', input_tokens: 10, output_tokens: 10, timestamp: '2026-11-27T10:00:00Z' }] },
    });
    expect(batched.status).toBe(200);
    // Sent by the dashboard: a session, no API key.
    await track(app, t.token, { ...GPT4_CALL, timestamp: '2026-11-27T11:00:00Z' });
    await track(app, other.apiKey, { ...GPT4_CALL, timestamp: '2026-11-27T11:00:00Z' });
  });
  afterAll(() => app?.close());

  it("answers each key's spend to the nanodollar with its name and creator, the session's calls under key null", async () => {
    const b = await byKey(t.token);
    expect(b.group_by).toBe('api_key');
    expect(b.rows).toEqual([
      { key: backend.id, name: 'backend', prefix: backend.prefix, created_by: me, spend: 0.12, spend_nanos: 2 * GPT4_NANOS, calls: 2, input_tokens: 2000, output_tokens: 1000, unpriced_calls: 0, share: 0.5 },
      { key: batch.id, name: 'batch jobs', prefix: batch.prefix, created_by: me, spend: 0.06, spend_nanos: GPT4_NANOS, calls: 2, input_tokens: 1010, output_tokens: 510, unpriced_calls: 1, share: 0.25 },
      { key: null, name: 'dashboard / session', prefix: null, created_by: null, spend: 0.06, spend_nanos: GPT4_NANOS, calls: 1, input_tokens: 1000, output_tokens: 500, unpriced_calls: 0, share: 0.25 },
    ]);
    expect(b.total_nanos).toBe(4 * GPT4_NANOS);
    const summary = await json<{ total_spend_nanos: number; calls: number }>(app.request('/api/costs/summary?days=7', { token: t.token }));
    expect(summary.total_spend_nanos).toBe(b.total_nanos);
    expect(summary.calls).toBe(b.rows.reduce((s, r) => s + r.calls, 0));
  });

  it('shows on each stored event the key that sent it, in the list and the JSON export', async () => {
    const { events } = await json<{ events: { api_key_id: string | null; timestamp: string }[] }>(app.request('/api/events?limit=10', { token: t.token }));
    expect(events.map((e) => [e.timestamp, e.api_key_id])).toEqual([
      ['2026-11-27T11:00:00.000Z', null],
      ['2026-11-27T10:00:00.000Z', batch.id],
      ['2026-11-27T10:00:00.000Z', batch.id],
      ['2026-11-27T09:00:00.000Z', backend.id],
      ['2026-11-26T09:00:00.000Z', backend.id],
    ]);
    const exported = await json<{ api_key_id: string | null }[]>(app.request('/api/export?format=json', { token: t.token }));
    expect(exported.map((e) => e.api_key_id)).toEqual([backend.id, backend.id, batch.id, batch.id, null]);
  });

  it('keeps a revoked key named, and charts spend per key', async () => {
    expect((await app.request(`/api/keys/${batch.id}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    const b = await byKey(t.token);
    expect(b.rows.find((r) => r.key === batch.id)).toMatchObject({ name: 'batch jobs', spend_nanos: GPT4_NANOS });
    const series = await json<{ series: { key: string; total_nanos: number }[] }>(app.request('/api/costs/timeseries?days=7&group_by=api_key', { token: t.token }));
    expect(Object.fromEntries(series.series.map((s) => [s.key, s.total_nanos]))).toEqual({
      [backend.id]: 2 * GPT4_NANOS,
      [batch.id]: GPT4_NANOS,
      '(none)': GPT4_NANOS,
    });
  });

  it('records as creator the signing-up user for the first key, and the admin key\'s creator for a key it makes', async () => {
    const admin = await json<CreatedKey>(app.request('/api/keys', { token: t.token, body: { name: 'admin', scopes: ['admin', 'read'] } }));
    const made = await app.request('/api/keys', { token: admin.key, body: { name: 'made by a key' } });
    expect(made.status).toBe(201);
    expect(((await made.json()) as { created_by: unknown }).created_by).toEqual(me);
    const { keys } = await json<{ keys: { name: string; created_by: unknown }[] }>(app.request('/api/keys', { token: t.token }));
    expect(Object.fromEntries(keys.map((k) => [k.name, k.created_by]))).toEqual({ 'Default key': me, backend: me, 'batch jobs': me, admin: me, 'made by a key': me });
  });

  it("never shows one tenant another's keys or users", async () => {
    const theirs = await byKey(other.token);
    const [signupKey] = (await json<{ keys: { id: string; name: string }[] }>(app.request('/api/keys', { token: other.token }))).keys;
    expect(theirs.rows.map((r) => [r.key, r.name, r.created_by?.email, r.spend_nanos])).toEqual([[signupKey.id, signupKey.name, other.email, GPT4_NANOS]]);
    const mine = await byKey(t.apiKey);
    expect(mine.rows.map((r) => r.key)).not.toContain(signupKey.id);
  });
});
