import { findTier, MODEL_TIERS, sameModel, type TierEntry } from './model-tiers.js';
import { type AggregateTokens, groupBy, percent, priceAggregate, sumTokens, usd } from './price-aggregate.js';
import type { Recommendation, RuleContext, UsageAggregate } from './types.js';

/** How sure a switch is to keep quality: same line of one provider, another provider's peer, a smaller model. */
const CONFIDENCE = { same_provider: 0.8, other_provider: 0.6, smaller_model: 0.45 };
/** Below this many calls the usage may not be representative. */
const FEW_CALLS = 100;
/** A switch saving less than this share of the model's spend is not worth the migration. */
const MIN_SHARE = 10;

interface Alternative {
  entry: TierEntry;
  cost: number;
  confidence: number;
  relation: keyof typeof CONFIDENCE;
}

function candidatesFor(source: TierEntry): { entry: TierEntry; relation: keyof typeof CONFIDENCE }[] {
  const out: { entry: TierEntry; relation: keyof typeof CONFIDENCE }[] = [];
  for (const entry of MODEL_TIERS) {
    if (!entry.target || sameModel(entry, source)) continue;
    if (entry.tier === source.tier) out.push({ entry, relation: entry.provider === source.provider ? 'same_provider' : 'other_provider' });
    else if (source.tier === 'large' && entry.tier === 'small' && entry.provider === source.provider) out.push({ entry, relation: 'smaller_model' });
  }
  return out;
}

function priceAlternatives(source: TierEntry, tokens: AggregateTokens, current: number, ctx: RuleContext): Alternative[] {
  const alternatives: Alternative[] = [];
  for (const { entry, relation } of candidatesFor(source)) {
    const cost = priceAggregate(entry.provider, entry.model, tokens, ctx.now);
    if (cost === null || cost >= current) continue;
    const confidence = CONFIDENCE[relation] * (tokens.calls < FEW_CALLS ? 0.75 : 1);
    alternatives.push({ entry, cost, confidence: Math.round(confidence * 100) / 100, relation });
  }
  return alternatives.sort((a, b) => a.cost - b.cost);
}

/**
 * For each model with material spend: what the same tokens would have cost on comparable or
 * smaller models (tier table, real catalog prices), headlined by the best saving weighed by
 * confidence, with every alternative in the evidence.
 */
export function recommendModelSwitch(usage: readonly UsageAggregate[], ctx: RuleContext): Recommendation[] {
  const out: Recommendation[] = [];
  for (const rows of groupBy(usage, (r) => `${r.provider}/${r.model}`).values()) {
    const { provider, model } = rows[0];
    const source = findTier(provider, model);
    const current = rows.reduce((a, r) => a + r.cost_nanos, 0);
    if (!source || current <= 0) continue;
    const tokens = sumTokens(rows);
    const alternatives = priceAlternatives(source, tokens, current, ctx);
    const best = alternatives.reduce<Alternative | null>(
      (b, a) => (!b || (current - a.cost) * a.confidence > (current - b.cost) * b.confidence ? a : b),
      null,
    );
    if (!best) continue;
    const savings = Math.round((current - best.cost) * ctx.monthScale);
    const share = percent(current - best.cost, current);
    if (savings < ctx.minSavingsNanos || share < MIN_SHARE) continue;
    const to = `${best.entry.provider}/${best.entry.model}`;
    out.push({
      id: `model_switch:${provider}/${model}`,
      type: 'model_switch',
      title: `Move ${model} traffic to ${best.entry.model}`,
      description:
        `${tokens.calls} calls to ${provider}/${model} cost $${usd(current * ctx.monthScale)} a month; the same tokens on ${to} ` +
        `would cost $${usd(best.cost * ctx.monthScale)} (${share}% less). ` +
        (best.relation === 'smaller_model' ? 'It is a smaller model: check quality on your own prompts first.' : 'It is a model of the same class.'),
      estimated_monthly_savings: usd(savings),
      savings_percentage: share,
      confidence: best.confidence,
      evidence: {
        provider,
        model,
        tier: source.tier,
        features: rows.map((r) => r.feature ?? '(none)'),
        calls: tokens.calls,
        input_tokens: tokens.input_tokens,
        output_tokens: tokens.output_tokens,
        cached_input_tokens: tokens.cached_input_tokens,
        monthly_cost_usd: usd(current * ctx.monthScale),
        alternatives: alternatives.map((a) => ({
          provider: a.entry.provider,
          model: a.entry.model,
          tier: a.entry.tier,
          relation: a.relation,
          monthly_cost_usd: usd(a.cost * ctx.monthScale),
          monthly_savings_usd: usd((current - a.cost) * ctx.monthScale),
          confidence: a.confidence,
        })),
      },
      action: `Route ${provider}/${model} calls to ${to}${best.relation === 'smaller_model' ? ' after an evaluation on a sample of real prompts' : ''}.`,
    });
  }
  return out;
}
