import { describe, expect, it } from 'vitest';
import { json, newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';
import { isPrivateAddress } from './check-target.js';

const NOW = Date.parse('2026-11-16T12:00:00Z');
const DAY = 86_400_000;
type Json = Record<string, unknown>;

describe.each(databases())('alerts on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  const evaluate = async (token: string) => (await json<{ fired: Json[] }>(app.request('/api/alerts/evaluate', { token, method: 'POST' }))).fired;
  const batch = async (key: string, events: Json[]) => expect((await app.request('/api/events/batch', { token: key, body: { events } })).status).toBe(200);

  it('refuses webhook targets on loopback and private addresses by default', async () => {
    const t = await newTenant(app);
    for (const target of ['http://127.0.0.1:9000/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://[::1]/hook']) {
      const res = await app.request('/api/alert-channels', { token: t.token, body: { type: 'webhook', url: target } });
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/private or loopback address; set LLMLAB_WEBHOOK_ALLOW_PRIVATE=true/);
    }
    expect(isPrivateAddress('192.168.1.10')).toBe(true);
    expect(isPrivateAddress('::ffff:172.16.0.1')).toBe(true);
    expect(isPrivateAddress('93.184.215.14')).toBe(false);
  });

  it('warns when the forecast crosses the budget before the month ends, once', async () => {
    const t = await newTenant(app);
    // $3 a day since Oct 1 (gpt-4, 100,000 input tokens): $45 by Nov 15, about $90 by Nov 30.
    await batch(t.apiKey, Array.from({ length: 47 }, (_v, i) => ({ provider: 'openai', model: 'gpt-4', input_tokens: 100_000, output_tokens: 0, timestamp: new Date(Date.parse('2026-10-01T06:00:00Z') + i * DAY).toISOString() })));
    await app.request('/api/budgets', { token: t.token, body: { name: 'Monthly', amount: 70, period: 'monthly', thresholds: [100] } });
    const fired = await evaluate(t.token);
    expect(fired.map((a) => a.type)).toEqual(['forecast']);
    // Nov 1-16 spent $48 by noon on the 16th; the rest of the 16th and 14 more days at $3: $91.50,
    // $70 reached on Nov 23.
    expect(fired[0].message).toBe('Budget "Monthly" is projected to exceed $70.00 on Nov 23 (projected $91.50, 80% interval $91.50-$91.50)');
    expect(await evaluate(t.token)).toEqual([]);
  });

  it('fires on a spend anomaly with its driver, and on a burst of unpriced calls', async () => {
    const t = await newTenant(app);
    const events: Json[] = Array.from({ length: 40 }, (_v, i) => ({ provider: 'openai', model: 'gpt-4', input_tokens: 100_000, output_tokens: 0, feature: 'chat', timestamp: new Date(NOW - (40 - i) * DAY).toISOString() }));
    // Yesterday a backfill spent $30 more.
    for (let i = 0; i < 10; i++) events.push({ provider: 'openai', model: 'gpt-4', input_tokens: 100_000, output_tokens: 0, feature: 'backfill', timestamp: new Date(NOW - DAY + i * 1000).toISOString() });
    // This hour: 12 calls to a model without a price.
    for (let i = 0; i < 12; i++) events.push({ provider: 'openai', model: 'ft:gpt-9-custom', input_tokens: 10, output_tokens: 10, timestamp: new Date(NOW - i * 1000).toISOString() });
    await batch(t.apiKey, events);
    const fired = await evaluate(t.token);
    const anomaly = fired.find((a) => a.type === 'anomaly');
    expect(anomaly?.message).toBe('Spend anomaly on 2026-11-15: $33.00 against a usual $3.00 (robust z 100), driven by model openai/gpt-4, feature backfill');
    const unpriced = fired.find((a) => a.type === 'unpriced');
    expect(unpriced?.message).toBe('12 of 12 calls in the last hour could not be priced (openai/ft:gpt-9-custom): add a price override so their cost is counted');
    expect(await evaluate(t.token)).toEqual([]);
    const listed = await json<{ alerts: Json[] }>(app.request('/api/alerts', { token: t.apiKey }));
    expect(listed.alerts.map((a) => a.type).sort()).toEqual(['anomaly', 'unpriced']);
  });

  it('writes small amounts in alert messages to the millionth, not rounded to a cent', async () => {
    const t = await newTenant(app);
    await app.request('/api/budgets', { token: t.token, body: { name: 'Tiny', amount: 0.01, period: 'daily', thresholds: [50] } });
    // gpt-4o: 950 input tokens at $2.50/M and 500 output tokens at $10/M.
    const tracked = await json<Json>(app.request('/api/events/track', { token: t.apiKey, body: { provider: 'openai', model: 'gpt-4o', input_tokens: 950, output_tokens: 500, timestamp: new Date(NOW).toISOString() } }));
    expect(tracked.cost_nanos).toBe(7_375_000);
    const fired = (await evaluate(t.token)).filter((a) => a.type === 'budget');
    expect(fired.map((a) => a.message)).toEqual(['Budget "Tiny" reached 50%: $0.007375 of $0.01 this day']);
    expect(fired[0].data).toMatchObject({ budget: 0.01, spent: 0.007375, percentage: 73.75 });
  });

  it('re-arms a threshold in the next period', async () => {
    const t = await newTenant(app);
    await app.request('/api/budgets', { token: t.token, body: { amount: 1, period: 'daily', thresholds: [50] } });
    await batch(t.apiKey, [{ provider: 'openai', model: 'gpt-4', input_tokens: 20_000, output_tokens: 0, timestamp: new Date(NOW).toISOString() }]);
    expect((await evaluate(t.token)).filter((a) => a.type === 'budget').map((a) => a.threshold)).toEqual([50]);
    app.setNow(NOW + DAY);
    await batch(t.apiKey, [{ provider: 'openai', model: 'gpt-4', input_tokens: 20_000, output_tokens: 0, timestamp: new Date(NOW + DAY).toISOString() }]);
    const next = await evaluate(t.token);
    app.setNow(NOW);
    expect(next.filter((a) => a.type === 'budget').map((a) => a.threshold)).toEqual([50]);
  });
});
