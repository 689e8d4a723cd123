import { describe, expect, it } from 'vitest';
import { usdToNanos } from '../money/nanos.js';
import { recommendPromptSize } from './recommend-prompt-size.js';
import { NOW, usageRow } from './test-usage.js';

const ctx = { now: NOW, monthScale: 1, minSavingsNanos: usdToNanos(1) };

describe('recommendPromptSize', () => {
  it('prices the input above the model median of the project', () => {
    const chat = usageRow('openai', 'gpt-4o', 'chat', 4000, { input: 1500, output: 300 });
    const rag = usageRow('openai', 'gpt-4o', 'rag', 1000, { input: 12_000, output: 300 });
    // rag: 1,000 x (12,000 x $2.50 + 300 x $10) / 1e6 = $33.00
    expect(rag.cost_nanos).toBe(usdToNanos(33));
    const [rec, ...rest] = recommendPromptSize([chat, rag], ctx);
    expect(rest).toEqual([]);
    // The median per call (weighted by calls) is chat's 1,500; rag's excess is 10,500 x 1,000
    // tokens at $2.50/Mtok = $26.25, which is 79.5% of its $33.
    expect(rec).toMatchObject({
      type: 'prompt_size',
      estimated_monthly_savings: 26.25,
      savings_percentage: 79.5,
      evidence: { feature: 'rag', input_tokens_per_call: 12_000, median_input_tokens_per_call: 1500, excess_input_tokens: 10_500_000 },
    });
  });

  it('compares features only with features on the same model', () => {
    const a = usageRow('openai', 'gpt-4o', 'chat', 100, { input: 1000, output: 100 });
    const b = usageRow('openai', 'gpt-4o-mini', 'rag', 100, { input: 50_000, output: 100 });
    expect(recommendPromptSize([a, b], ctx)).toEqual([]);
  });
});
