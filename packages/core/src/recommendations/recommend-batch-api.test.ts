import { describe, expect, it } from 'vitest';
import { usdToNanos } from '../money/nanos.js';
import { looksScheduled, recommendBatchApi } from './recommend-batch-api.js';
import { NOW, usageRow } from './test-usage.js';

const ctx = { now: NOW, monthScale: 1, minSavingsNanos: usdToNanos(1) };
const nightly = Array.from({ length: 24 }, (_v, h) => (h === 2 ? 300 : h === 3 ? 400 : h === 4 ? 290 : h === 12 ? 10 : 0));
const office = Array.from({ length: 24 }, (_v, h) => (h >= 9 && h < 18 ? 110 : 10));

describe('recommendBatchApi', () => {
  it('halves the cost of a nightly job on OpenAI', () => {
    // 1,000 calls of 2,000 + 500 on gpt-4o: 1,000 x (5,000 + 5,000) x 1000 nanos = $10.00.
    const report = usageRow('openai', 'gpt-4o', 'nightly-report', 1000, { input: 2000, output: 500 }, { hourly_calls: nightly });
    expect(recommendBatchApi([report], ctx)).toMatchObject([
      { type: 'batch_api', estimated_monthly_savings: 5, savings_percentage: 50, confidence: 0.5, evidence: { signal: 'traffic_shape' } },
    ]);
  });

  it('trusts a batch tag on Anthropic, whatever the hours', () => {
    // 10,000 calls of 4,000 + 1,000 on claude-3-haiku: 10,000 x (1,000 + 1,250) x 1000 nanos = $22.50.
    const backfill = usageRow('anthropic', 'claude-3-haiku', 'backfill', 10_000, { input: 4000, output: 1000 }, { batch_hint: true, hourly_calls: office });
    expect(recommendBatchApi([backfill], ctx)).toMatchObject([{ estimated_monthly_savings: 11.25, confidence: 0.8 }]);
  });

  it('reports the saving of the calls priced again at the batch tier, cached input included, to the nanodollar', () => {
    // gpt-4o, 1,000 calls of 2,000 in (1,536 cached) + 100 out: $4.08 at standard, $2.04 at batch.
    const report = usageRow('openai', 'gpt-4o', 'nightly-report', 1000, { input: 2000, cached: 1536, output: 100 }, { hourly_calls: nightly });
    expect(recommendBatchApi([report], ctx)).toMatchObject([
      { estimated_monthly_savings: 2.04, savings_percentage: 50, evidence: { service_tier: 'standard', saving_basis: 'batch_tier_prices', monthly_savings_nanos: 2_040_000_000 } },
    ]);
  });

  it('prices priority work against batch from its own priority price', () => {
    // gpt-4.1 priority: 1,000 x (2,000 x $3.50 + 500 x $14) = $14.00; batch: 1,000 x (2,000 x $1 + 500 x $4) = $4.00.
    const priority = usageRow('openai', 'gpt-4.1', 'digest', 1000, { input: 2000, output: 500 }, { hourly_calls: nightly, service_tier: 'priority' });
    priority.cost_nanos = 14_000_000_000;
    const [advice] = recommendBatchApi([priority], ctx);
    expect(advice).toMatchObject({ id: 'batch_api:openai/gpt-4.1/digest@priority', estimated_monthly_savings: 10, savings_percentage: 71.4, evidence: { monthly_savings_nanos: 10_000_000_000 } });
  });

  it('does not advise batch for work already on batch, nor for flex work already at batch rates', () => {
    const onBatch = usageRow('openai', 'gpt-4o', 'nightly-report', 1000, { input: 2000, output: 500 }, { batch_hint: true, service_tier: 'batch' });
    const onFlex = usageRow('openai', 'o3', 'evals', 1000, { input: 2000, output: 500 }, { batch_hint: true, service_tier: 'flex' });
    expect(recommendBatchApi([onBatch, onFlex], ctx)).toEqual([]);
  });

  it('leaves office-hours traffic, interactive tags and providers without a batch API alone', () => {
    const chat = usageRow('openai', 'gpt-4o', 'chat', 1000, { input: 2000, output: 500 }, { hourly_calls: office });
    const tagged = usageRow('openai', 'gpt-4o', 'x', 1000, { input: 2000, output: 500 }, { hourly_calls: nightly, batch_hint: false });
    const mistral = usageRow('mistral', 'mistral-large-latest', 'y', 1000, { input: 2000, output: 500 }, { batch_hint: true });
    expect(recommendBatchApi([chat, tagged, mistral], ctx)).toEqual([]);
    expect(looksScheduled(office)).toBe(false);
    expect(looksScheduled(nightly)).toBe(true);
  });
});
