import { DAY_MS } from '@llmlab/core';
import { describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useOwnDatabase } from '../../test/helpers/own-database.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-27T18:00:00Z');
const MINUTE = 60_000;

interface Found { metric: string; dimension: string; timestamp: string; excess: number; drivers: { kind: string; key: string; excess: number }[] }
interface Rec { id: string; estimated_monthly_savings: number; evidence: { repeated_requests?: number } }

describe.each(databases())('anomalies and recommendations after retention on $name', (db) => {
  const app = useTestApp(useOwnDatabase(db), NOW);
  const keep = async (t: TestTenant, days: number) => {
    expect((await app.request(`/api/projects/${t.projectId}`, { method: 'PATCH', token: t.token, body: { retention_days: days } })).status).toBe(200);
    expect((await app.request('/api/admin/retention/apply', { method: 'POST', token: t.token })).status).toBe(200);
  };

  it("keeps a spike's spend and its model and feature drivers, and names a user only with enough kept days to compare", async () => {
    const t = await newTenant(app);
    // 60 days of chat ($3 on weekdays, $0.60 on weekends), then customer-42 runs up $60 on bulk-export two days ago.
    const events: Record<string, unknown>[] = [];
    for (let d = 60; d >= 0; d--) {
      const at = NOW - d * DAY_MS - 6 * 3_600_000;
      const weekend = [0, 6].includes(new Date(at).getUTCDay());
      events.push({ provider: 'openai', model: 'gpt-4', input_tokens: weekend ? 20_000 : 100_000, output_tokens: 0, feature: 'chat', user_id: `user-${d % 5}`, timestamp: new Date(at).toISOString() });
    }
    for (let i = 0; i < 20; i++) {
      events.push({ provider: 'openai', model: 'gpt-4', input_tokens: 100_000, output_tokens: 0, feature: 'bulk-export', user_id: 'customer-42', timestamp: new Date(NOW - 2 * DAY_MS + i * MINUTE).toISOString() });
    }
    expect((await app.request('/api/events/batch', { token: t.apiKey, body: { events } })).status).toBe(200);
    const spike = async () => {
      const r = await json<{ anomalies: Found[] }>(app.request('/api/anomalies?days=7', { token: t.apiKey }));
      const found = r.anomalies.find((a) => a.metric === 'spend' && a.dimension === 'project');
      return { ...found, drivers: Object.fromEntries((found?.drivers ?? []).map((d) => [`${d.kind}:${d.key}`, d.excess])) };
    };
    const expected = { timestamp: '2026-11-25T00:00:00.000Z', excess: 60 };
    expect(await spike()).toMatchObject({ ...expected, drivers: { 'feature:bulk-export': 60, 'model:openai/gpt-4': 60, 'user:customer-42': 60 } });

    // 20 days kept: two of the four same weekdays before the spike are left, enough to compare its users with.
    await keep(t, 20);
    expect(await spike()).toMatchObject({ ...expected, drivers: { 'feature:bulk-export': 60, 'model:openai/gpt-4': 60, 'user:customer-42': 60 } });
    // 10 days kept: one is left; the users of the spike are not judged against days whose events are gone.
    await keep(t, 10);
    expect(await spike()).toMatchObject({ ...expected, drivers: { 'feature:bulk-export': 60, 'model:openai/gpt-4': 60 } });
    expect((await spike()).drivers).not.toHaveProperty('user:customer-42');
  });

  it('scales the repeated requests counted in the days kept to the 30 days the advice prices', async () => {
    const t = await newTenant(app);
    // 1,000 support calls on gpt-4 ($0.06 each) over 30 days, each second one repeating the request before it.
    const support = Array.from({ length: 1000 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'support',
      request_hash: `hash-${String(Math.floor(i / 2)).padStart(6, '0')}`, timestamp: new Date(NOW - i * 43 * MINUTE).toISOString(),
    }));
    expect((await app.request('/api/events/batch', { token: t.apiKey, body: { events: support } })).status).toBe(200);
    const advice = async () => (await json<Rec[]>(app.request('/api/recommendations', { token: t.apiKey }))).find((r) => r.id === 'caching:response:openai/gpt-4/support');
    // Half of $60 a month.
    expect(await advice()).toMatchObject({ estimated_monthly_savings: 30, evidence: { repeated_requests: 500 } });
    await keep(t, 10);
    // About a third of the calls are kept, half of them repeats: scaled back to the 1,000 calls, not a third of the advice.
    const after = (await advice()) as Rec;
    expect(after.evidence.repeated_requests).toBeGreaterThanOrEqual(495);
    expect(after.evidence.repeated_requests).toBeLessThanOrEqual(505);
    expect(after.estimated_monthly_savings).toBeCloseTo(30, 0);
  });
});
