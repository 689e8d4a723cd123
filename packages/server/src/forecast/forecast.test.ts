import { describe, expect, it } from 'vitest';
import { json, newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-16T00:00:00Z');
const DAY = 86_400_000;

describe.each(databases())('GET /api/costs/forecast on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  /** One gpt-4 call of 100,000 input tokens ($3.00) a day at noon, from Oct 1 to Nov 15. */
  async function threeDollarsADay(apiKey: string) {
    const events = Array.from({ length: 46 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: 100_000, output_tokens: 0,
      timestamp: new Date(Date.parse('2026-10-01T12:00:00Z') + i * DAY).toISOString(),
    }));
    const r = await app.request('/api/events/batch', { token: apiKey, body: { events } });
    expect(r.status).toBe(200);
  }

  it('projects $3 a day to $90 for November and says when a $60 budget breaks', async () => {
    const t = await newTenant(app);
    await threeDollarsADay(t.apiKey);
    const budget = await json<{ id: string }>(app.request('/api/budgets', { token: t.token, body: { amount: 60, period: 'monthly' } }));
    const f = await json<Record<string, unknown>>(app.request(`/api/costs/forecast?budget_id=${budget.id}`, { token: t.apiKey }));
    expect(f).toMatchObject({
      period: 'monthly', tz: 'UTC', spent: 45, projected_spend: 90, low: 90, high: 90, days_elapsed: 15, days_total: 30,
      budget: 60, budget_id: budget.id, crosses_budget_on: '2026-11-20', method: 'damped_trend',
    });
    const daily = f.daily as { date: string; cumulative: number; forecast: boolean }[];
    expect(daily).toHaveLength(30);
    expect(daily[14]).toMatchObject({ date: '2026-11-15', cumulative: 45, forecast: false });
    expect(daily[29]).toMatchObject({ date: '2026-11-30', cumulative: 90, forecast: true });
  });

  it('projects nothing for a project without events, and refuses an unknown budget', async () => {
    const t = await newTenant(app);
    const f = await json(app.request('/api/costs/forecast?tz=Europe/Paris', { token: t.apiKey }));
    expect(f).toMatchObject({ projected_spend: 0, low: 0, high: 0, spent: 0, method: 'none', budget: null, tz: 'Europe/Paris' });
    const missing = await app.request('/api/costs/forecast?budget_id=nope', { token: t.apiKey });
    expect(missing.status).toBe(404);
    const badTz = await app.request('/api/costs/forecast?tz=Mars/Olympus', { token: t.apiKey });
    expect(badTz.status).toBe(400);
  });
});

describe.each(databases())('GET /api/costs/forecast from less than a day of spend on $name', ({ url }) => {
  // Nov 16, 10:00 UTC: the project's only spend is $24 at 08:30 this morning.
  const app = useTestApp({ url }, Date.parse('2026-11-16T10:00:00Z'));

  it('says there is not enough data instead of projecting this morning\'s $24 onto the month', async () => {
    const t = await newTenant(app);
    // gpt-4 input is $30 per million tokens: 800,000 tokens cost $24.
    const r = await app.request('/api/events/track', { token: t.apiKey, body: { provider: 'openai', model: 'gpt-4', input_tokens: 800_000, output_tokens: 0, timestamp: '2026-11-16T08:30:00Z' } });
    expect(r.status).toBe(201);
    const budget = await json<{ id: string }>(app.request('/api/budgets', { token: t.token, body: { amount: 500, period: 'monthly' } }));
    const f = await json<Record<string, unknown>>(app.request(`/api/costs/forecast?budget_id=${budget.id}`, { token: t.apiKey }));
    // Data since 08:00 (the hour of the first spend): $12 an hour. Kept around the clock for the
    // 350 hours to Dec 1 that is $4,224 more: the high end, not a projection.
    expect(f).toMatchObject({
      method: 'insufficient_data', spent: 24, projected_spend: 24, low: 24, high: 4224, days_elapsed: 15.417, days_total: 30, crosses_budget_on: null,
      note: 'Not enough data yet: less than one day of spend (since 2026-11-16T08:00:00.000Z). No projection is made: low and projected are the spend so far; high assumes the pace so far holds around the clock until the period ends.',
    });
    // Nor does a morning's spend fire a "projected to exceed" alert on the $500 budget.
    const evaluated = await json<{ fired: unknown[] }>(app.request('/api/alerts/evaluate', { token: t.token, method: 'POST' }));
    expect(evaluated.fired).toEqual([]);
  });
});
