import { describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { type TestApp, useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const HOUR = 3_600_000;

interface TierSplit { spend: number; spend_nanos: number; calls: number }
interface Rec { id: string; type: string; estimated_monthly_savings: number; evidence: Record<string, unknown> }

/** The calls of a day with every tier, each with its exact cost in nanodollars. */
const CALLS = [
  // gpt-4o standard: 464 x $2.50 + 1,536 x $1.25 + 100 x $10 per million
  { event_id: 'std', provider: 'openai', model: 'gpt-4o', input_tokens: 2000, cached_input_tokens: 1536, output_tokens: 100, service_tier: 'standard', cost: 4_080_000 },
  // the same call on batch: half of each rate
  { event_id: 'bat', provider: 'openai', model: 'gpt-4o', input_tokens: 2000, cached_input_tokens: 1536, output_tokens: 100, service_tier: 'batch', cost: 2_040_000 },
  // o3 flex: 6,000 x $1 + 4,000 x $0.25 + 2,000 x $4
  { event_id: 'flx', provider: 'openai', model: 'o3', input_tokens: 10_000, cached_input_tokens: 4000, output_tokens: 2000, reasoning_tokens: 1500, service_tier: 'flex', cost: 15_000_000 },
  // claude-haiku-4-5 batch: 200 x $0.50 + 3,000 x $0.05 + 1,000 x $0.625 + 400 x $2.50
  { event_id: 'ant', provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 4200, cached_input_tokens: 3000, cache_write_tokens: 1000, output_tokens: 400, service_tier: 'batch', cost: 1_875_000 },
  // gpt-4.1 has no flex price: standard $2 / $0.50 cached / $8
  { event_id: 'nof', provider: 'openai', model: 'gpt-4.1', input_tokens: 10_000, cached_input_tokens: 4000, output_tokens: 2000, service_tier: 'flex', cost: 30_000_000 },
  // no tier said: standard, 1,000 x $2.50 + 100 x $10
  { event_id: 'non', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, cost: 3_500_000 },
] as const;

async function trackCalls(app: TestApp, t: TestTenant) {
  const events = CALLS.map(({ cost: _cost, ...e }, i) => ({ ...e, timestamp: NOW - (i + 1) * HOUR }));
  const res = await app.request('/api/events/batch', { token: t.apiKey, body: { events } });
  expect(res.status).toBe(200);
  return json<{ events: { event_id: string; cost_nanos: number; price_source: string }[] }>(res);
}

describe.each(databases())('service tiers on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  it('prices each call at its tier and keeps the tier on the event', async () => {
    const t = await newTenant(app);
    const recorded = await trackCalls(app, t);
    expect(recorded.events.map((e) => [e.event_id, e.cost_nanos])).toEqual(CALLS.map((c) => [c.event_id, c.cost]));
    expect(recorded.events.map((e) => e.price_source)).toEqual([
      'catalog:genai-prices@0.1.8/gpt-4o',
      'catalog:genai-prices@0.1.8/gpt-4o+batch',
      'tier:openai/flex/o3@2025-06-10',
      'catalog:genai-prices@0.1.8/claude-haiku-4-5+batch',
      'catalog:genai-prices@0.1.8/gpt-4.1+flex@standard',
      'catalog:genai-prices@0.1.8/gpt-4o',
    ]);
    const flex = await json<{ service_tier: string | null; cost_nanos: number }>(app.request('/api/events/flx', { token: t.apiKey }));
    expect(flex).toMatchObject({ service_tier: 'flex', cost_nanos: 15_000_000 });
    const none = await json<{ service_tier: string | null }>(app.request('/api/events/non', { token: t.apiKey }));
    expect(none.service_tier).toBeNull();
    const csv = await (await app.request('/api/export?format=csv', { token: t.apiKey })).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header.split(',').at(-1)).toBe('service_tier');
    // Oldest first: the call without a tier has an empty cell.
    expect(rows.map((r) => [r.split(',')[0], r.split(',').at(-1)])).toEqual([['non', ''], ['nof', 'flex'], ['ant', 'batch'], ['flx', 'flex'], ['bat', 'batch'], ['std', 'standard']]);
  });

  it('splits the summary and the breakdown by tier, to the nanodollar, over rollups that check out', async () => {
    const t = await newTenant(app);
    await trackCalls(app, t);
    const summary = await json<{ by_service_tier: Record<string, TierSplit>; total_spend_nanos: number }>(app.request('/api/costs/summary?days=7', { token: t.apiKey }));
    expect(summary.by_service_tier).toEqual({
      flex: { spend: 0.045, spend_nanos: 45_000_000, calls: 2 },
      standard: { spend: 0.00758, spend_nanos: 7_580_000, calls: 2 },
      batch: { spend: 0.003915, spend_nanos: 3_915_000, calls: 2 },
    });
    expect(Object.keys(summary.by_service_tier)).toEqual(['flex', 'standard', 'batch']);
    expect(summary.total_spend_nanos).toBe(56_495_000);
    const breakdown = await json<{ rows: { key: string; spend_nanos: number; calls: number }[]; total_nanos: number }>(
      app.request('/api/costs/breakdown?group_by=service_tier&days=7', { token: t.apiKey }),
    );
    expect(breakdown.rows.map((r) => [r.key, r.spend_nanos, r.calls])).toEqual([['flex', 45_000_000, 2], ['standard', 7_580_000, 2], ['batch', 3_915_000, 2]]);
    expect(breakdown.total_nanos).toBe(56_495_000);
    const series = await json<{ series: { key: string; total_nanos: number }[] }>(app.request('/api/costs/timeseries?group_by=service_tier&days=7', { token: t.apiKey }));
    expect(series.series.map((s) => [s.key, s.total_nanos])).toEqual([['flex', 45_000_000], ['standard', 7_580_000], ['batch', 3_915_000]]);
    const check = await json<{ consistent: boolean; events_counted: number }>(app.request('/api/admin/rollup-check', { token: t.token }));
    expect(check).toMatchObject({ consistent: true, events_counted: 6 });
  });

  it('refuses a tier it does not know with a 400 naming the field, and stores nothing', async () => {
    const t = await newTenant(app);
    const one = await app.request('/api/events/track', { token: t.apiKey, body: { provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1, service_tier: 'economy' } });
    expect(one.status).toBe(400);
    expect((await json<{ error: { message: string } }>(one)).error.message).toMatch(/^service_tier: service_tier must be one of standard, batch, flex, priority/);
    const batch = await app.request('/api/events/batch', {
      token: t.apiKey,
      body: { events: [{ provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1 }, { provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1, service_tier: 'default' }] },
    });
    expect(batch.status).toBe(400);
    expect((await json<{ error: { message: string } }>(batch)).error.message).toMatch(/^events\.1\.service_tier: /);
    const page = await json<{ events: unknown[] }>(app.request('/api/events', { token: t.apiKey }));
    expect(page.events).toEqual([]);
  });

  it('advises batch for scheduled work with the saving of its calls priced at batch, and not for work already on batch', async () => {
    const t = await newTenant(app);
    // Over 29 days, so the window is 30 days and a month's saving is the window's.
    const spread = (n: number, i: number) => NOW - Math.round(((i + 1) * 29 * 24 * HOUR) / n);
    const reports = Array.from({ length: 200 }, (_v, i) => ({ provider: 'openai', model: 'gpt-4o', input_tokens: 2000, output_tokens: 500, feature: 'reports', tags: { batch: 'true' }, timestamp: spread(200, i) }));
    const digest = Array.from({ length: 100 }, (_v, i) => ({ provider: 'openai', model: 'gpt-4.1', input_tokens: 2000, output_tokens: 500, feature: 'digest', service_tier: 'priority', tags: { batch: 'true' }, timestamp: spread(100, i) }));
    const backfill = Array.from({ length: 300 }, (_v, i) => ({ provider: 'openai', model: 'gpt-4o', input_tokens: 2000, output_tokens: 500, feature: 'backfill', service_tier: 'batch', tags: { batch: 'true' }, timestamp: spread(300, i) }));
    for (const events of [reports, digest, backfill]) {
      const r = await app.request('/api/events/batch', { token: t.apiKey, body: { events } });
      expect(r.status).toBe(200);
    }
    const recs = await json<Rec[]>(app.request('/api/recommendations', { token: t.apiKey }));
    const batch = recs.filter((r) => r.type === 'batch_api');
    // reports: 200 x (2,000 x $2.50 + 500 x $10) = $2.00 standard, $1.00 on batch.
    // digest: 100 x (2,000 x $3.50 + 500 x $14) = $1.40 on priority, 100 x (2,000 x $1 + 500 x $4) = $0.40 on batch.
    expect(batch.map((r) => [r.id, r.estimated_monthly_savings, r.evidence.monthly_savings_nanos, r.evidence.service_tier])).toEqual([
      ['batch_api:openai/gpt-4.1/digest@priority', 1, 1_000_000_000, 'priority'],
      ['batch_api:openai/gpt-4o/reports', 1, 1_000_000_000, 'standard'],
    ]);
  });
});
