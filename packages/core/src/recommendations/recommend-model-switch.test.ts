import { describe, expect, it } from 'vitest';
import { usdToNanos } from '../money/nanos.js';
import { recommendModelSwitch } from './recommend-model-switch.js';
import { NOW, usageRow } from './test-usage.js';
import type { RuleContext } from './types.js';

const month: RuleContext = { now: NOW, monthScale: 1, minSavingsNanos: usdToNanos(1) };

describe('recommendModelSwitch', () => {
  // 1,000 calls of 1,000 input + 500 output tokens on gpt-4 ($30/$60 per Mtok): $0.06 each, $60.
  const gpt4 = usageRow('openai', 'gpt-4', 'support', 1000, { input: 1000, output: 500 });

  it('prices the same tokens on cheaper models and headlines the best one', () => {
    expect(gpt4.cost_nanos).toBe(usdToNanos(60));
    const [rec, ...rest] = recommendModelSwitch([gpt4], month);
    expect(rest).toEqual([]);
    // gpt-4.1 ($2/$8): 1,000 x (1000 x 2 + 500 x 8) / 1e6 = $6.00, so $54.00 less, 90%.
    expect(rec).toMatchObject({
      type: 'model_switch',
      title: 'Move gpt-4 traffic to gpt-4.1',
      estimated_monthly_savings: 54,
      savings_percentage: 90,
      confidence: 0.8,
    });
    const alternatives = rec.evidence.alternatives as { model: string; monthly_cost_usd: number; relation: string }[];
    const cost = (model: string) => alternatives.find((a) => a.model === model);
    // gpt-4o ($2.50/$10): $7.50; gpt-4o-mini ($0.15/$0.60): $0.45; claude-opus-4 ($15/$75): $52.50;
    // deepseek-chat ($0.135/$0.55): $0.41; mistral-large ($2/$6): $5.00.
    expect(cost('gpt-4o')).toMatchObject({ monthly_cost_usd: 7.5, relation: 'same_provider' });
    expect(cost('gpt-4o-mini')).toMatchObject({ monthly_cost_usd: 0.45, relation: 'smaller_model' });
    expect(cost('claude-opus-4')).toMatchObject({ monthly_cost_usd: 52.5, relation: 'other_provider' });
    expect(cost('deepseek-chat')).toMatchObject({ monthly_cost_usd: 0.41, relation: 'other_provider' });
    expect(cost('mistral-large-latest')).toMatchObject({ monthly_cost_usd: 5 });
    // Other providers' small models are not comparable to a large one.
    expect(cost('claude-3-haiku')).toBeUndefined();
  });

  it('scales a shorter window to a 30-day month', () => {
    const [rec] = recommendModelSwitch([gpt4], { ...month, monthScale: 2 });
    expect(rec.estimated_monthly_savings).toBe(108);
  });

  it('offers claude-3-haiku and gpt-4o-mini as peers of each other, never an embedding model', () => {
    // 10,000 calls of 2,000 + 500 on gpt-4o-mini: 10,000 x (300 + 300) nanos x 1000 = $6.00.
    const mini = usageRow('openai', 'gpt-4o-mini', 'tagging', 10_000, { input: 2000, output: 500 });
    const embed = usageRow('openai', 'text-embedding-3-small', 'search', 100_000, { input: 500, output: 0 });
    const recs = recommendModelSwitch([mini, embed], month);
    expect(recs.map((r) => r.evidence.model)).toEqual(['gpt-4o-mini']);
    const alternatives = recs[0].evidence.alternatives as { model: string; monthly_cost_usd: number }[];
    expect(alternatives.some((a) => a.model.includes('embedding'))).toBe(false);
    // claude-3-haiku ($0.25/$1.25) costs 10,000 x (500 + 625) = $11.25: more, so not offered.
    expect(alternatives.find((a) => a.model === 'claude-3-haiku')).toBeUndefined();
    // gemini-2.0-flash ($0.10/$0.40): 10,000 x (200 + 200) = $4.00, saving $2.00.
    expect(alternatives.find((a) => a.model === 'gemini-2.0-flash')?.monthly_cost_usd).toBe(4);
  });

  it('stays silent for models outside the tier table or without spend', () => {
    expect(recommendModelSwitch([usageRow('openai', 'text-embedding-3-large', null, 1000, { input: 1000, output: 0 })], month)).toEqual([]);
  });
});
