import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant, track } from './helpers/accounts.js';
import { databases } from './helpers/databases.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

// gpt-4, 1,000 input and 500 output tokens: $0.03 + $0.03 = $0.06.
const CALL = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 };

interface Usage {
  period_start: string;
  period_end: string;
  values: { value: string | null; spent: number; spent_nanos: number; remaining: number; state: string }[];
  next_cursor: string | null;
}

describe.each(databases())('budgets per end user, key and tag, and template budgets on $name', ({ url }) => {
  let app: TestApp;
  let t: TestTenant;
  beforeAll(async () => {
    app = await createTestApp(url);
    t = await newTenant(app);
  });
  afterAll(() => app?.close());

  const budget = async (tenant: TestTenant, body: Record<string, unknown>) => {
    const res = await app.request('/api/budgets', { token: tenant.token, body });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; per: string | null; scope: Record<string, unknown> | null; status: { spent_nanos: number; exceeded: boolean; value: string | null } };
  };
  const keyIdOf = async (tenant: TestTenant, apiKey: string) =>
    (await json<{ keys: { id: string; prefix: string }[] }>(app.request('/api/keys', { token: tenant.token }))).keys.find((k) => apiKey.startsWith(k.prefix))?.id;
  const usage = (tenant: TestTenant, id: string, query = '') => json<Usage>(app.request(`/api/budgets/${id}/usage${query}`, { token: tenant.token }));

  it('gives each customer their own $0.10 a month, resetting on the 1st in the budget\'s time zone, never carrying over', async () => {
    const tenant = await newTenant(app);
    // 23:45 on Nov 30 in Paris.
    app.setNow(Date.parse('2026-11-30T22:45:00Z'));
    try {
      const b = await budget(tenant, { name: 'Each customer', amount: 0.1, period: 'monthly', per: 'end_user', timezone: 'Europe/Paris' });
      expect(b).toMatchObject({ per: 'end_user', scope: null });
      // customer-old's last calls were in November (Paris), one at 23:30 Paris on Nov 30.
      await track(app, tenant.apiKey, { ...CALL, user_id: 'customer-old', timestamp: '2026-11-30T10:00:00Z' });
      await track(app, tenant.apiKey, { ...CALL, user_id: 'customer-old', timestamp: '2026-11-30T22:30:00Z' });
      await track(app, tenant.apiKey, { ...CALL, user_id: 'customer-new', timestamp: '2026-11-30T11:00:00Z' });
      const nov = await usage(tenant, b.id);
      expect(nov.period_start).toBe('2026-10-31T23:00:00.000Z');
      expect(nov.values.map((v) => [v.value, v.spent_nanos, v.state])).toEqual([
        ['customer-old', 120_000_000, 'exceeded'],
        ['customer-new', 60_000_000, 'ok'],
      ]);
      // 23:00 UTC on Nov 30 is already December 1st in Paris: a new period for everyone.
      app.setNow(Date.parse('2026-11-30T23:30:00Z'));
      await track(app, tenant.apiKey, { ...CALL, user_id: 'customer-new', timestamp: '2026-11-30T23:10:00Z' });
      const dec = await usage(tenant, b.id);
      expect(dec.period_start).toBe('2026-11-30T23:00:00.000Z');
      expect(dec.values.map((v) => [v.value, v.spent_nanos])).toEqual([['customer-new', 60_000_000]]);
      expect((await usage(tenant, b.id, '?value=customer-old')).values).toEqual([
        { value: 'customer-old', spent: 0, spent_nanos: 0, remaining: 0.1, percentage: 0, state: 'ok' },
      ]);
      const shown = await json<{ status: { value: string | null; spent_nanos: number } }>(app.request(`/api/budgets/${b.id}`, { token: tenant.token }));
      expect(shown.status).toMatchObject({ value: 'customer-new', spent_nanos: 60_000_000 });
    } finally {
      app.setNow(null);
    }
  });

  it('weeks start on Monday and days at midnight in the budget\'s time zone', async () => {
    const tenant = await newTenant(app);
    // Sunday 2026-11-29 20:00 in New York is Monday 01:00 UTC.
    app.setNow(Date.parse('2026-11-30T01:00:00Z'));
    try {
      const week = await budget(tenant, { amount: 1, period: 'weekly', per: 'end_user', timezone: 'America/New_York' });
      const day = await budget(tenant, { amount: 1, period: 'daily', scope: { end_user: 'customer-d' }, timezone: 'America/New_York' });
      await track(app, tenant.apiKey, { ...CALL, user_id: 'customer-d', timestamp: '2026-11-23T06:00:00Z' });
      await track(app, tenant.apiKey, { ...CALL, user_id: 'customer-d', timestamp: '2026-11-29T23:00:00Z' });
      const w = await usage(tenant, week.id);
      expect(w.period_start).toBe('2026-11-23T05:00:00.000Z');
      expect(w.values[0]).toMatchObject({ value: 'customer-d', spent_nanos: 120_000_000 });
      const d = await json<{ status: { spent_nanos: number; period_start: string } }>(app.request(`/api/budgets/${day.id}`, { token: tenant.token }));
      expect(d.status).toMatchObject({ spent_nanos: 60_000_000, period_start: '2026-11-29T05:00:00.000Z' });
    } finally {
      app.setNow(null);
    }
  });

  it('counts only the end user, key and tags a budget names', async () => {
    const tenant = await newTenant(app);
    const key = await json<{ id: string; key: string }>(app.request('/api/keys', { token: tenant.token, body: { name: 'batch team', scopes: ['ingest', 'read'] } }));
    await track(app, tenant.apiKey, { ...CALL, user_id: 'u1', tags: { team: 'search', tier: 'free' } });
    await track(app, tenant.apiKey, { ...CALL, user_id: 'u2', tags: { team: 'chat' } });
    await track(app, key.key, { ...CALL, user_id: 'u1', tags: { team: 'search' } });
    const byUser = await budget(tenant, { amount: 1, scope: { end_user: 'u1' } });
    const byKey = await budget(tenant, { amount: 1, scope: { api_key_id: key.id } });
    const byTag = await budget(tenant, { amount: 1, scope: { tags: { team: 'search' } } });
    const byTwoTags = await budget(tenant, { amount: 1, scope: { tags: { team: 'search', tier: 'free' } } });
    const perKey = await budget(tenant, { amount: 0.1, per: 'api_key', scope: { tags: { team: 'search' } } });
    expect([byUser, byKey, byTag, byTwoTags].map((b) => b.status.spent_nanos)).toEqual([120_000_000, 60_000_000, 120_000_000, 60_000_000]);
    expect(byTwoTags.scope).toEqual({ tags: { team: 'search', tier: 'free' } });
    const values = (await usage(tenant, perKey.id)).values;
    expect(values).toHaveLength(2);
    expect(values.map((v) => v.spent_nanos)).toEqual([60_000_000, 60_000_000]);
    // The team's search calls went through two keys: the signup key and the batch team's.
    expect(values.map((v) => v.value).sort()).toEqual([key.id, (await keyIdOf(tenant, tenant.apiKey))].sort());
  });

  it('pages a template\'s values by spend, and fires its alerts per value, once per period', async () => {
    const tenant = await newTenant(app);
    const b = await budget(tenant, { name: 'Each customer', amount: 0.1, per: 'end_user', thresholds: [50, 100] });
    for (let i = 1; i <= 5; i++) {
      for (let c = 0; c < i; c++) await track(app, tenant.apiKey, { ...CALL, user_id: `customer-${i}` });
    }
    const first = await usage(tenant, b.id, '?limit=2');
    expect(first.values.map((v) => v.value)).toEqual(['customer-5', 'customer-4']);
    const rest = await usage(tenant, b.id, `?limit=2&cursor=${first.next_cursor}`);
    const last = await usage(tenant, b.id, `?limit=2&cursor=${rest.next_cursor}`);
    expect([...rest.values, ...last.values].map((v) => v.value)).toEqual(['customer-3', 'customer-2', 'customer-1']);
    expect(last.next_cursor).toBeNull();

    const evaluate = async () => (await json<{ fired: { message: string }[] }>(app.request('/api/alerts/evaluate', { token: tenant.token, body: {} }))).fired.map((a) => a.message);
    const fired = await evaluate();
    // customer-1 spent $0.06 (50% reached), customers 2 to 5 spent $0.12 or more (50% and 100%).
    expect(fired.filter((m) => m.includes('Each customer')).sort()).toEqual(
      [
        'Budget "Each customer": end user customer-1 reached 50% of $0.10 this month ($0.06 spent)',
        ...[2, 3, 4, 5].flatMap((i) => [50, 100].map((p) => `Budget "Each customer": end user customer-${i} reached ${p}% of $0.10 this month ($${(0.06 * i).toFixed(2)} spent)`)),
      ].sort(),
    );
    expect(await evaluate()).toEqual([]);
  });

  it('refuses a bad template or a key of another project with 400, storing nothing', async () => {
    const other = await newTenant(app);
    const otherKey = await json<{ id: string }>(app.request('/api/keys', { token: other.token, body: { name: 'theirs' } }));
    const before = (await json<{ budgets: unknown[] }>(app.request('/api/budgets', { token: t.token }))).budgets.length;
    const bad = [
      [{ amount: 1, per: 'customer' }, 'per must be end_user, api_key or feature'],
      [{ amount: 1, scope: { api_key_id: otherKey.id } }, `scope.api_key_id: no API key ${otherKey.id} in this project`],
      [{ amount: 1, scope: { tags: {} } }, 'give 1 to 10 tag pairs'],
    ] as const;
    for (const [body, message] of bad) {
      const res = await app.request('/api/budgets', { token: t.token, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(message);
    }
    expect((await json<{ budgets: unknown[] }>(app.request('/api/budgets', { token: t.token }))).budgets).toHaveLength(before);
  });
});
