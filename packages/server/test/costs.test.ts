import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, track } from './helpers/accounts.js';
import { databases } from './helpers/databases.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe.each(databases())('summary, series and budgets on $name', ({ url }) => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof newTenant>>;
  beforeAll(async () => {
    app = await createTestApp(url);
    app.setNow(NOW);
    t = await newTenant(app);
    const ev = (model: string, ts: string, input: number, output: number, feature?: string) =>
      track(app, t.apiKey, { provider: model.startsWith('claude') ? 'anthropic' : 'openai', model, input_tokens: input, output_tokens: output, timestamp: ts, feature });
    await ev('gpt-4', '2026-11-27T03:00:00Z', 1000, 500, 'chat'); // New York: Nov 26, 22:00 -> $0.06
    await ev('claude-3-haiku', '2026-11-27T10:00:00Z', 1000, 1000, 'chat'); // Nov 27 -> $0.0015
    await ev('gpt-4', '2026-11-20T12:00:00Z', 1000, 500, 'search'); // Nov 20 -> $0.06
    await ev('gpt-4o-mini', '2026-10-31T12:00:00Z', 1_000_000, 0); // October -> $0.15
  });
  afterAll(() => app?.close());

  it('answers the summary in the caller\'s time zone, one trend entry per day', async () => {
    const s = await json<Record<string, unknown>>(app.request('/api/costs/summary?days=7&tz=America/New_York', { token: t.apiKey }));
    expect(s).toMatchObject({
      total_spend: 0.0615,
      this_month_spend: 0.1215,
      today_spend: 0.0015,
      by_model: { 'openai/gpt-4': 0.06, 'anthropic/claude-3-haiku': 0.0015 },
      by_provider: { openai: 0.06, anthropic: 0.0015 },
      by_feature: { chat: 0.0615 },
      calls: 2,
      unpriced_calls: 0,
      budget_status: null,
    });
    expect(s.daily_trend).toEqual([
      { date: '2026-11-21', spend: 0 },
      { date: '2026-11-22', spend: 0 },
      { date: '2026-11-23', spend: 0 },
      { date: '2026-11-24', spend: 0 },
      { date: '2026-11-25', spend: 0 },
      { date: '2026-11-26', spend: 0.06 },
      { date: '2026-11-27', spend: 0.0015 },
    ]);
    const utc = await json<{ today_spend: number; daily_trend: unknown[] }>(app.request('/api/costs/summary?days=30', { token: t.apiKey }));
    expect(utc.today_spend).toBe(0.0615);
    expect(utc.daily_trend).toHaveLength(30);
  });

  it('refuses a bad time zone or day count with a clear 400', async () => {
    const r = await app.request('/api/costs/summary?tz=Mars/Olympus', { token: t.apiKey });
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toBe('query.tz: unknown time zone; use an IANA name such as Europe/Paris');
    const d = await app.request('/api/costs/summary?days=0', { token: t.apiKey });
    expect((await d.json()).error.message).toBe('query.days: days must be at least 1');
  });

  it('shows a monthly budget as spent, percentage and alert past 80%', async () => {
    const created = await app.request('/api/budgets', { token: t.token, body: { amount: 0.15, period: 'monthly' } });
    expect(created.status).toBe(201);
    const b = await created.json();
    expect(b).toMatchObject({ amount: 0.15, period: 'monthly', thresholds: [50, 80, 100], alert_threshold: 80, hard_limit: false });
    expect(b.status).toMatchObject({ spent: 0.1215, percentage: 81, alert: true, exceeded: false, reached: [50, 80] });
    const s = await json<{ budget_status: unknown }>(app.request('/api/costs/summary', { token: t.apiKey }));
    expect(s.budget_status).toMatchObject({ budget: 0.15, spent: 0.1215, percentage: 81, alert: true });
    const scoped = await json<{ status: { spent: number } }>(app.request('/api/budgets', { token: t.token, body: { amount: 1, period: 'weekly', scope: { feature: 'chat' } } }));
    expect(scoped.status.spent).toBe(0.0615); // week of Mon Nov 23
    const daily = await json<{ status: { spent: number } }>(app.request('/api/budgets', { token: t.token, body: { amount: 1, period: 'daily', scope: { model: 'gpt-4' } } }));
    expect(daily.status.spent).toBe(0.06);
    const patched = await json<{ amount: number; status: { alert: boolean } }>(app.request(`/api/budgets/${b.id}`, { method: 'PATCH', token: t.token, body: { amount: 1 } }));
    expect(patched).toMatchObject({ amount: 1, status: { alert: false } });
    const bad = await app.request('/api/budgets', { token: t.token, body: { amount: -5, period: 'yearly' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBe('amount: amount must be more than 0');
  });

  it('gives chart series and breakdown tables that add up to the summary', async () => {
    const ts = await json<{ series: { key: string; total: number; points: { t: string; spend: number }[] }[]; buckets: string[]; total: number }>(
      app.request('/api/costs/timeseries?days=7&tz=America/New_York&group_by=provider', { token: t.apiKey }),
    );
    expect(ts.buckets).toHaveLength(7);
    expect(ts.total).toBe(0.0615);
    expect(ts.series.map((s) => [s.key, s.total])).toEqual([['openai', 0.06], ['anthropic', 0.0015]]);
    expect(ts.series[0].points.find((p) => p.t === '2026-11-26')?.spend).toBe(0.06);
    const bd = await json<{ rows: { key: string; spend: number; calls: number; share: number }[] }>(app.request('/api/costs/breakdown?from=2026-11-01&to=2026-11-28&group_by=feature', { token: t.apiKey }));
    expect(bd.rows.map((r) => [r.key, r.spend, r.calls])).toEqual([['chat', 0.0615, 2], ['search', 0.06, 1]]);
    const users = await json<{ rows: { key: string }[] }>(app.request('/api/costs/breakdown?days=30&group_by=user', { token: t.apiKey }));
    expect(users.rows.map((r) => r.key)).toEqual(['(none)']);
  });
});
