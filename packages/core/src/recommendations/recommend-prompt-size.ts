import { groupBy, percent, priceAggregate, tierSuffix, usd } from './price-aggregate.js';
import type { Recommendation, RuleContext, UsageAggregate } from './types.js';

/** A feature's prompts must be this many times the model's median to count as oversized. */
const RATIO = 2;
/** Fewest calls of a feature for its average to mean anything. */
const MIN_CALLS = 20;
const CONFIDENCE = 0.5;

/** The calls-weighted median of per-feature averages: the prompt size most calls have. */
function weightedMedian(items: readonly { value: number; weight: number }[]): number {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((a, i) => a + i.weight, 0);
  let seen = 0;
  for (const i of sorted) {
    seen += i.weight;
    if (seen * 2 >= total) return i.value;
  }
  return 0;
}

/**
 * Features whose input tokens per call are at least twice the project's own median for the
 * same model, with what the excess input cost at that model's catalog input rates.
 */
export function recommendPromptSize(usage: readonly UsageAggregate[], ctx: RuleContext): Recommendation[] {
  const out: Recommendation[] = [];
  for (const rows of groupBy(usage, (r) => `${r.provider}/${r.model}`).values()) {
    const features = rows.filter((r) => r.calls >= MIN_CALLS && r.feature !== null);
    if (features.length < 2) continue;
    const median = weightedMedian(features.map((r) => ({ value: r.input_tokens / r.calls, weight: r.calls })));
    for (const r of features) {
      const perCall = r.input_tokens / r.calls;
      if (median <= 0 || perCall < RATIO * median) continue;
      // The input part alone, priced as the calls were (cached and written tokens at their rates).
      const inputCost = priceAggregate(r.provider, r.model, { ...r, output_tokens: 0, reasoning_tokens: 0 }, ctx.now, r.service_tier);
      if (inputCost === null) continue;
      const excessShare = (perCall - median) / perCall;
      const excessCost = inputCost * excessShare;
      const savings = Math.round(excessCost * ctx.monthScale);
      if (savings < ctx.minSavingsNanos) continue;
      out.push({
        id: `prompt_size:${r.provider}/${r.model}/${r.feature}${tierSuffix(r)}`,
        type: 'prompt_size',
        title: `Trim the prompts of ${r.feature}`,
        description:
          `${r.feature} sends ${Math.round(perCall)} input tokens per call to ${r.model}, ${Math.round((perCall / median) * 10) / 10}x ` +
          `the project's median of ${Math.round(median)}. The tokens above the median cost $${usd(savings)} a month.`,
        estimated_monthly_savings: usd(savings),
        savings_percentage: percent(excessCost, r.cost_nanos),
        confidence: CONFIDENCE,
        evidence: {
          provider: r.provider,
          model: r.model,
          feature: r.feature,
          calls: r.calls,
          input_tokens_per_call: Math.round(perCall),
          median_input_tokens_per_call: Math.round(median),
          excess_input_tokens: Math.round((perCall - median) * r.calls),
          monthly_cost_usd: usd(r.cost_nanos * ctx.monthScale),
        },
        action: `Shorten ${r.feature}'s prompt: fewer retrieved chunks, a shorter system prompt, or a summary of the history instead of all of it.`,
      });
    }
  }
  return out;
}
