import { describe, expect, it } from 'vitest';
import { usdToNanos } from '../money/nanos.js';
import { recommendCaching } from './recommend-caching.js';
import { NOW, usageRow } from './test-usage.js';

const ctx = { now: NOW, monthScale: 1, minSavingsNanos: usdToNanos(1) };

describe('recommendCaching', () => {
  it('prices the repeated identical requests a response cache would answer', () => {
    // 20,000 calls of 1,000 + 200 on gpt-4o-mini: 20,000 x (150 + 120) x 1000 nanos = $5.40.
    const faq = usageRow('openai', 'gpt-4o-mini', 'faq', 20_000, { input: 1000, output: 200 }, { repeated_requests: 5000 });
    const [rec, ...rest] = recommendCaching([faq], ctx);
    expect(rest).toEqual([]);
    expect(rec).toMatchObject({ type: 'caching', estimated_monthly_savings: 1.35, savings_percentage: 25, evidence: { kind: 'response_cache' } });
  });

  it('prices prompt caching on OpenAI at the cached-input rate', () => {
    // 2,000 calls of 4,000 + 200 on gpt-4o ($2.50 in, $1.25 cached, $10 out): $24.00.
    // Half the prompt cached, 90% hits: 2,000 uncached + 1,800 cached + 200 written (input rate)
    // = 5,000 + 2,250 + 500 + 2,000 out = 9,750 vs 12,000 thousandths of a cent: $4.50 saved.
    const doc = usageRow('openai', 'gpt-4o', 'doc-qa', 2000, { input: 4000, output: 200 });
    expect(doc.cost_nanos).toBe(usdToNanos(24));
    const [rec] = recommendCaching([doc], ctx);
    expect(rec).toMatchObject({ estimated_monthly_savings: 4.5, savings_percentage: 18.8, evidence: { kind: 'prompt_cache', cache_read_rate_mtok: 1.25 } });
  });

  it('counts the cache writes Anthropic bills above the input rate', () => {
    // 1,000 calls of 10,000 + 500 on claude-3-5-sonnet ($3 in, $0.30 read, $3.75 write, $15 out): $37.50.
    // After: 5,000 x 3 + 4,500 x 0.3 + 500 x 3.75 + 500 x 15 = 25,725 per call: $25.725, $11.775 saved.
    const agent = usageRow('anthropic', 'claude-3-5-sonnet', 'agent', 1000, { input: 10_000, output: 500 });
    const [rec] = recommendCaching([agent], ctx);
    expect(rec.estimated_monthly_savings).toBe(11.775);
    expect(rec.action).toContain('cache_control');
  });

  it('leaves features that already cache, short prompts and models without a cache discount alone', () => {
    const cached = usageRow('openai', 'gpt-4o', 'a', 2000, { input: 4000, output: 200, cached: 2000 });
    const short = usageRow('openai', 'gpt-4o', 'b', 2000, { input: 800, output: 200 });
    const noDiscount = usageRow('openai', 'gpt-4', 'c', 2000, { input: 4000, output: 200 });
    expect(recommendCaching([cached, short, noDiscount], ctx)).toEqual([]);
  });
});
