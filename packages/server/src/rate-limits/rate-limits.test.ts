import { describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

interface RateLimit {
  id: string;
  name: string;
  scope: Record<string, string> | null;
  per: string | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  cost_per_hour: number | null;
  created_at: string;
  updated_at: string;
}

describe.each(databases())('rate limits API on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  const create = async (t: TestTenant, body: Record<string, unknown>) => {
    const res = await app.request('/api/rate-limits', { token: t.token, body });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as RateLimit;
  };
  const list = async (t: TestTenant) => (await json<{ rate_limits: RateLimit[] }>(app.request('/api/rate-limits', { token: t.token }))).rate_limits;
  const stored = (projectId: string) => app.ctx.db.kysely.selectFrom('rate_limits').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
  const auditOf = (orgId: string) =>
    app.ctx.db.kysely.selectFrom('audit_log').select(['action', 'target_id', 'before', 'after']).where('org_id', '=', orgId).where('action', 'like', 'rate_limit.%').orderBy('id').execute();
  const keyIdOf = async (t: TestTenant) => (await json<{ keys: { id: string }[] }>(app.request('/api/keys', { token: t.token }))).keys[0].id;

  it('creates, lists, reads, changes and deletes a rate limit, each write with its audit entry', async () => {
    const t = await newTenant(app);
    const keyId = await keyIdOf(t);
    const made = await create(t, { name: 'batch team', scope: { provider: 'OpenAI', model: 'gpt-4o-mini', api_key_id: keyId }, per: 'end_user', requests_per_minute: 10, cost_per_hour: 2.5 });
    expect(made).toEqual({
      id: expect.any(String),
      name: 'batch team',
      scope: { provider: 'openai', model: 'gpt-4o-mini', api_key_id: keyId },
      per: 'end_user',
      requests_per_minute: 10,
      tokens_per_minute: null,
      cost_per_hour: 2.5,
      created_at: new Date(NOW).toISOString(),
      updated_at: new Date(NOW).toISOString(),
    });
    expect((await stored(t.projectId))[0]).toMatchObject({ cost_per_hour_nanos: 2_500_000_000, scope_provider: 'openai' });
    const plain = await create(t, { tokens_per_minute: 50_000 });
    expect(plain).toMatchObject({ name: 'Rate limit', scope: null, per: null, requests_per_minute: null, tokens_per_minute: 50_000 });
    expect((await list(t)).map((r) => r.id)).toEqual([made.id, plain.id]);
    expect(await json(app.request(`/api/rate-limits/${made.id}`, { token: t.token }))).toEqual(made);

    app.setNow(NOW + 60_000);
    const patched = await json<RateLimit>(app.request(`/api/rate-limits/${made.id}`, { method: 'PATCH', token: t.token, body: { requests_per_minute: 20, cost_per_hour: null, scope: null, per: 'feature' } }));
    expect(patched).toMatchObject({ requests_per_minute: 20, cost_per_hour: null, scope: null, per: 'feature', updated_at: new Date(NOW + 60_000).toISOString(), created_at: made.created_at });
    expect(await json(app.request(`/api/rate-limits/${made.id}`, { token: t.token }))).toEqual(patched);
    app.setNow(NOW);

    expect(await json(app.request(`/api/rate-limits/${plain.id}`, { method: 'DELETE', token: t.token }))).toEqual({ success: true });
    expect((await list(t)).map((r) => r.id)).toEqual([made.id]);
    expect((await app.request(`/api/rate-limits/${plain.id}`, { token: t.token })).status).toBe(404);
    expect((await app.request(`/api/rate-limits/${plain.id}`, { method: 'DELETE', token: t.token })).status).toBe(404);

    const entries = (await auditOf(t.orgId)).map((e) => ({ ...e, before: e.before && (typeof e.before === 'string' ? JSON.parse(e.before) : e.before), after: e.after && (typeof e.after === 'string' ? JSON.parse(e.after) : e.after) }));
    expect(entries.map((e) => [e.action, e.target_id])).toEqual([
      ['rate_limit.created', made.id],
      ['rate_limit.created', plain.id],
      ['rate_limit.updated', made.id],
      ['rate_limit.deleted', plain.id],
    ]);
    expect(entries[2].before).toMatchObject({ requests_per_minute: 10, cost_per_hour: 2.5, per: 'end_user' });
    expect(entries[2].after).toMatchObject({ requests_per_minute: 20, cost_per_hour: null, per: 'feature', scope: null });
    expect(entries[3]).toMatchObject({ after: null, before: { tokens_per_minute: 50_000 } });
  });

  it('answers bad input with 400 naming the field, and stores nothing', async () => {
    const t = await newTenant(app);
    const other = await newTenant(app);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'nothing to limit' }, 'requests_per_minute, tokens_per_minute or cost_per_hour'],
      [{ requests_per_minute: 0 }, 'requests_per_minute'],
      [{ requests_per_minute: 1.5 }, 'requests_per_minute'],
      [{ requests_per_minute: 'ten' }, 'requests_per_minute'],
      [{ tokens_per_minute: -5 }, 'tokens_per_minute'],
      [{ cost_per_hour: 0 }, 'cost_per_hour'],
      [{ requests_per_minute: 10, per: 'customer' }, 'per'],
      [{ requests_per_minute: 10, scope: { provider: 'mystery' } }, 'scope.provider'],
      [{ requests_per_minute: 10, scope: { api_key_id: await keyIdOf(other) } }, 'scope.api_key_id'],
      [{ requests_per_minute: 10, scope: { team: 'x' } }, 'scope'],
      [{ requests_per_minute: 10, burst: 5 }, 'burst'],
    ];
    for (const [body, field] of cases) {
      const res = await app.request('/api/rate-limits', { token: t.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, JSON.stringify(body)).toContain(field);
    }
    expect(await stored(t.projectId)).toEqual([]);

    const made = await create(t, { requests_per_minute: 10 });
    const before = await stored(t.projectId);
    for (const [body, field] of [
      [{ requests_per_minute: null }, 'requests_per_minute'],
      [{ requests_per_minute: 0 }, 'requests_per_minute'],
      [{ per: 'team' }, 'per'],
      [{ scope: { provider: 'mystery' } }, 'scope.provider'],
    ] as const) {
      const res = await app.request(`/api/rate-limits/${made.id}`, { method: 'PATCH', token: t.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
    }
    expect(await stored(t.projectId)).toEqual(before);
    expect((await auditOf(t.orgId)).map((e) => e.action)).toEqual(['rate_limit.created']);
  });

  it("keeps one project's rate limits from another tenant", async () => {
    const t = await newTenant(app);
    const other = await newTenant(app);
    const made = await create(t, { requests_per_minute: 10 });
    expect(await list(other)).toEqual([]);
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await app.request(`/api/rate-limits/${made.id}`, { method, token: other.token, body: method === 'PATCH' ? { requests_per_minute: 1 } : undefined });
      expect(res.status, method).toBe(404);
    }
    expect((await stored(t.projectId))[0]).toMatchObject({ requests_per_minute: 10 });
  });
});
