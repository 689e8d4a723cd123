import { describe, expect, it } from 'vitest';
import { usdToNanos } from '../money/nanos.js';
import { recommendProviderDiversification } from './recommend-provider-diversification.js';
import { NOW, usageRow } from './test-usage.js';

const ctx = { now: NOW, monthScale: 1, minSavingsNanos: usdToNanos(1) };

describe('recommendProviderDiversification', () => {
  it('prices spend concentrated on OpenAI on the nearest like-for-like provider', () => {
    const gpt4 = usageRow('openai', 'gpt-4', 'support', 1000, { input: 1000, output: 500 });
    const [rec] = recommendProviderDiversification([gpt4], ctx);
    // $60 on gpt-4. Every listed provider has a large model; Anthropic's claude-opus-4 ($15/$75)
    // is nearest: 1,000 x (15,000 + 37,500) x 1000 nanos = $52.50, $7.50 less (12.5%).
    expect(rec).toMatchObject({
      type: 'provider_diversification',
      estimated_monthly_savings: 7.5,
      savings_percentage: 12.5,
      evidence: {
        provider: 'openai',
        provider_share_percent: 100,
        alternative_provider: 'anthropic',
        moves: [{ from: 'openai/gpt-4', to: 'anthropic/claude-opus-4', monthly_cost_usd: 60, alternative_monthly_cost_usd: 52.5 }],
      },
    });
  });

  it('says nothing when spend is spread or too small to matter', () => {
    const a = usageRow('openai', 'gpt-4', 's', 1000, { input: 1000, output: 500 });
    const b = usageRow('anthropic', 'claude-opus-4', 's', 1000, { input: 1000, output: 500 });
    expect(recommendProviderDiversification([a, b], ctx)).toEqual([]);
    const tiny = usageRow('openai', 'gpt-4', 's', 100, { input: 1000, output: 500 });
    expect(recommendProviderDiversification([tiny], ctx)).toEqual([]);
  });
});
