import { describe, expect, it } from 'vitest';
import { json, newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MINUTE = 60_000;

interface Rec { id: string; type: string; estimated_monthly_savings: number; savings_percentage: number; evidence: Record<string, unknown> }

describe.each(databases())('GET /api/recommendations on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);

  it('gives an empty list to a project without events', async () => {
    const t = await newTenant(app);
    expect(await json(app.request('/api/recommendations', { token: t.apiKey }))).toEqual([]);
  });

  it('prices the last 30 days of gpt-4 on gpt-4.1 and finds repeats and batch work', async () => {
    const t = await newTenant(app);
    // 1,000 support calls of 1,000 + 500 tokens on gpt-4 ($0.06 each, $60) over 30 days,
    // one in five repeating an earlier request hash.
    const support = Array.from({ length: 1000 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'support',
      request_hash: `hash-${String(i % 800).padStart(6, '0')}`, timestamp: new Date(NOW - i * 43 * MINUTE).toISOString(),
    }));
    // 200 report calls on gpt-4o (2,000 + 500: $0.01 each, $2) tagged batch.
    const reports = Array.from({ length: 200 }, (_v, i) => ({
      provider: 'openai', model: 'gpt-4o', input_tokens: 2000, output_tokens: 500, feature: 'reports',
      tags: { batch: 'true' }, timestamp: new Date(NOW - i * 200 * MINUTE).toISOString(),
    }));
    for (const events of [support, reports]) {
      const r = await app.request('/api/events/batch', { token: t.apiKey, body: { events } });
      expect(r.status).toBe(200);
    }
    const recs = await json<Rec[]>(app.request('/api/recommendations', { token: t.apiKey }));
    const byId = Object.fromEntries(recs.map((r) => [r.id, r]));
    // gpt-4.1 ($2/$8): $6.00 for the same tokens: $54.00 a month, 90%.
    expect(byId['model_switch:openai/gpt-4']).toMatchObject({ estimated_monthly_savings: 54, savings_percentage: 90 });
    // 200 of 1,000 calls repeated: a fifth of $60.
    expect(byId['caching:response:openai/gpt-4/support']).toMatchObject({ estimated_monthly_savings: 12, evidence: { repeated_requests: 200 } });
    // Half of the reports' $2.00 on the OpenAI Batch API.
    expect(byId['batch_api:openai/gpt-4o/reports']).toMatchObject({ estimated_monthly_savings: 1, evidence: { signal: 'tag' } });
    expect(byId['provider_diversification:openai']).toBeDefined();
    const savings = recs.map((r) => r.estimated_monthly_savings);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
  });
});
