import { describe, expect, it } from 'vitest';
import { recommend } from './recommend.js';
import { NOW, usageRow } from './test-usage.js';

describe('recommend', () => {
  it('gives no advice without usage', () => {
    expect(recommend({ usage: [], now: NOW })).toEqual([]);
    expect(recommend({ usage: [{ ...usageRow('openai', 'gpt-4', null, 1, { input: 1, output: 1 }), calls: 0 }], now: NOW })).toEqual([]);
  });

  it('lists every kind of advice, largest saving first, scaled from a 10-day window', () => {
    const usage = [
      usageRow('openai', 'gpt-4', 'support', 1000, { input: 1000, output: 500 }),
      usageRow('openai', 'gpt-4o', 'doc-qa', 2000, { input: 4000, output: 200 }, { repeated_requests: 400 }),
      usageRow('openai', 'gpt-4o', 'chat', 4000, { input: 1500, output: 300 }),
      usageRow('openai', 'gpt-4o', 'nightly', 1000, { input: 2000, output: 500 }, { batch_hint: true }),
    ];
    const recs = recommend({ usage, now: NOW, days: 10 });
    expect(new Set(recs.map((r) => r.type))).toEqual(new Set(['model_switch', 'prompt_size', 'provider_diversification', 'caching', 'batch_api']));
    const savings = recs.map((r) => r.estimated_monthly_savings);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
    // gpt-4 -> gpt-4.1 saves $54 in 10 days: $162 a month.
    expect(recs.find((r) => r.id === 'model_switch:openai/gpt-4')?.estimated_monthly_savings).toBe(162);
    // nightly on gpt-4o: 1,000 x $0.01 = $10 in 10 days, half of it a month x3 = $15.
    expect(recs.find((r) => r.type === 'batch_api')?.estimated_monthly_savings).toBe(15);
  });
});
