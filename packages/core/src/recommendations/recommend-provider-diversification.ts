import { findTier, MODEL_TIERS, sameModel, type TierEntry } from './model-tiers.js';
import { groupBy, percent, priceAggregate, sumTokens, usd } from './price-aggregate.js';
import type { Recommendation, RuleContext, UsageAggregate } from './types.js';

/** One provider carrying this share of the spend is a single point of failure and of pricing. */
const CONCENTRATION = 0.8;
/** Below this a month, diversifying is not worth an engineer's afternoon. */
const MIN_MONTHLY_NANOS = 10_000_000_000;

interface Move {
  from: string;
  to: TierEntry;
  current: number;
  alternative: number;
}

/**
 * For each model of the concentrated provider, the like-for-like model of `provider`: same
 * tier, the one whose cost for the same tokens is nearest the current cost.
 */
function movesTo(provider: string, models: Map<string, UsageAggregate[]>, ctx: RuleContext): Move[] {
  const moves: Move[] = [];
  for (const rows of models.values()) {
    const source = findTier(rows[0].provider, rows[0].model);
    if (!source) continue;
    const tokens = sumTokens(rows);
    const current = rows.reduce((a, r) => a + r.cost_nanos, 0);
    let best: Move | null = null;
    for (const entry of MODEL_TIERS) {
      if (entry.provider !== provider || !entry.target || entry.tier !== source.tier || sameModel(entry, source)) continue;
      const cost = priceAggregate(entry.provider, entry.model, tokens, ctx.now);
      if (cost === null) continue;
      if (!best || Math.abs(cost - current) < Math.abs(best.alternative - current)) {
        best = { from: `${rows[0].provider}/${rows[0].model}`, to: entry, current, alternative: cost };
      }
    }
    if (best) moves.push(best);
  }
  return moves;
}

/**
 * When one provider carries most of the spend: the same usage priced on the nearest
 * alternative provider, the one with like-for-like models for most of that spend and, among
 * those, the total nearest today's (a second provider, not a downgrade).
 */
export function recommendProviderDiversification(usage: readonly UsageAggregate[], ctx: RuleContext): Recommendation[] {
  const total = usage.reduce((a, r) => a + r.cost_nanos, 0);
  const byProvider = [...groupBy(usage, (r) => r.provider)].map(([provider, rows]) => ({
    provider,
    rows,
    spend: rows.reduce((a, r) => a + r.cost_nanos, 0),
  }));
  const top = byProvider.sort((a, b) => b.spend - a.spend)[0];
  if (!top || top.spend < CONCENTRATION * total || top.spend * ctx.monthScale < MIN_MONTHLY_NANOS) return [];
  const models = groupBy(top.rows, (r) => r.model);
  const others = [...new Set(MODEL_TIERS.map((e) => e.provider))].filter((p) => p !== top.provider);
  const options = others
    .map((provider) => {
      const moves = movesTo(provider, models, ctx);
      return { provider, moves, covered: moves.reduce((a, m) => a + m.current, 0), cost: moves.reduce((a, m) => a + m.alternative, 0) };
    })
    .filter((o) => o.moves.length > 0)
    .sort((a, b) => b.covered - a.covered || Math.abs(a.covered - a.cost) - Math.abs(b.covered - b.cost));
  const best = options[0];
  if (!best) return [];
  const difference = best.covered - best.cost;
  const savings = Math.max(0, Math.round(difference * ctx.monthScale));
  const share = percent(top.spend, total);
  return [
    {
      id: `provider_diversification:${top.provider}`,
      type: 'provider_diversification',
      title: `${share}% of spend is on ${top.provider}: keep ${best.provider} ready as a second provider`,
      description:
        `${top.provider} carries $${usd(top.spend * ctx.monthScale)} of $${usd(total * ctx.monthScale)} a month. ` +
        `The same usage on ${best.provider}'s comparable models would cost $${usd(best.cost * ctx.monthScale)} ` +
        (difference >= 0 ? `($${usd(savings)} less)` : `($${usd(-difference * ctx.monthScale)} more)`) +
        ', and an outage or a price change would no longer stop or surprise you.',
      estimated_monthly_savings: usd(savings),
      savings_percentage: percent(Math.max(0, difference), best.covered),
      confidence: 0.3,
      evidence: {
        provider: top.provider,
        provider_share_percent: share,
        monthly_spend_usd: usd(top.spend * ctx.monthScale),
        alternative_provider: best.provider,
        moves: best.moves.map((m) => ({
          from: m.from,
          to: `${m.to.provider}/${m.to.model}`,
          monthly_cost_usd: usd(m.current * ctx.monthScale),
          alternative_monthly_cost_usd: usd(m.alternative * ctx.monthScale),
        })),
      },
      action: `Add ${best.provider} as a fallback (same prompts, ${best.moves.map((m) => m.to.model).join(', ')}) and route a share of traffic to it.`,
    },
  ];
}
