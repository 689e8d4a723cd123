import { describe, expect, it } from 'vitest';
import { json, newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-16T00:00:00Z');
const DAY = 86_400_000;

describe.each(databases())('GET /api/costs/forecast on $name', ({ url, available }) => {
  const app = useTestApp({ url, available }, NOW);

  /** One gpt-4 call of 100,000 input tokens ($3.00) a day at noon, from Oct 1 to Nov 15. */
  async function threeDollarsADay(apiKey: string) {
    const events = Array.from({ length: 46 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: 100_000, output_tokens: 0,
      timestamp: new Date(Date.parse('2026-10-01T12:00:00Z') + i * DAY).toISOString(),
    }));
    const r = await app.request('/api/events/batch', { token: apiKey, body: { events } });
    expect(r.status).toBe(200);
  }

  it.skipIf(!available)('projects $3 a day to $90 for November and says when a $60 budget breaks', async () => {
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

  it.skipIf(!available)('projects nothing for a project without events, and refuses an unknown budget', async () => {
    const t = await newTenant(app);
    const f = await json(app.request('/api/costs/forecast?tz=Europe/Paris', { token: t.apiKey }));
    expect(f).toMatchObject({ projected_spend: 0, low: 0, high: 0, spent: 0, method: 'none', budget: null, tz: 'Europe/Paris' });
    const missing = await app.request('/api/costs/forecast?budget_id=nope', { token: t.apiKey });
    expect(missing.status).toBe(404);
    const badTz = await app.request('/api/costs/forecast?tz=Mars/Olympus', { token: t.apiKey });
    expect(badTz.status).toBe(400);
  });
});
