import { batchRuleAt } from '../pricing/service-tiers.js';
import { percent, priceAggregate, tierSuffix, usd } from './price-aggregate.js';
import type { Recommendation, RuleContext, UsageAggregate } from './types.js';

/**
 * Batch discounts on the providers' asynchronous batch APIs (results within 24 hours):
 * OpenAI Batch API 50% ("Batch API" guide), Anthropic Message Batches 50% ("Batch processing"
 * docs), Google Gemini Batch Mode 50% ("Batch Mode" docs). Documented in docs/recommendations.md.
 * Where the price book has the provider's batch tier (OpenAI, Anthropic), the saving is the
 * calls priced again at it; Google's is this share of their cost.
 */
export const BATCH_DISCOUNTS: Readonly<Record<string, number>> = { openai: 0.5, anthropic: 0.5, google: 0.5 };

/** Traffic in which three consecutive hours carry this share of the calls looks like a scheduled job. */
const JOB_SHARE = 0.8;
const JOB_HOURS = 3;
const MIN_CALLS = 50;

/** True when the hours of the day show a job that runs in a short window, not people at work. */
export function looksScheduled(hourly: readonly number[] | undefined): boolean {
  if (hourly?.length !== 24) return false;
  const total = hourly.reduce((a, b) => a + b, 0);
  if (total < MIN_CALLS) return false;
  let best = 0;
  for (let h = 0; h < 24; h++) {
    let sum = 0;
    for (let k = 0; k < JOB_HOURS; k++) sum += hourly[(h + k) % 24];
    best = Math.max(best, sum);
  }
  return best >= JOB_SHARE * total;
}

/** Non-interactive features (tagged batch, or shaped like a scheduled job) on providers with a batch discount. */
export function recommendBatchApi(usage: readonly UsageAggregate[], ctx: RuleContext): Recommendation[] {
  const out: Recommendation[] = [];
  for (const r of usage) {
    const discount = BATCH_DISCOUNTS[r.provider];
    // Work already run on batch is not advised again.
    if (!discount || r.cost_nanos <= 0 || r.batch_hint === false || r.service_tier === 'batch') continue;
    const tagged = r.batch_hint === true;
    if (!tagged && !looksScheduled(r.hourly_calls)) continue;
    const saving = batchSaving(r, ctx, discount);
    const savings = Math.round(saving.nanos * ctx.monthScale);
    if (savings < ctx.minSavingsNanos) continue;
    const feature = r.feature ?? '(none)';
    const tier = r.service_tier ?? 'standard';
    out.push({
      id: `batch_api:${r.provider}/${r.model}/${feature}${tierSuffix(r)}`,
      type: 'batch_api',
      title: `Send ${feature} through the ${r.provider} Batch API`,
      description:
        `${feature} ${tagged ? 'is tagged as batch work' : `runs like a scheduled job (${Math.round(JOB_SHARE * 100)}% or more of its calls within ${JOB_HOURS} hours of the day)`}. ` +
        (saving.repriced
          ? `Priced at the ${r.provider} batch rates instead of ${tier}, these calls would cost $${usd(savings)} a month less than $${usd(saving.current * ctx.monthScale)}.`
          : `The ${r.provider} batch API bills ${Math.round(discount * 100)}% less: $${usd(savings)} a month on $${usd(r.cost_nanos * ctx.monthScale)}.`),
      estimated_monthly_savings: usd(savings),
      savings_percentage: percent(saving.nanos, saving.current),
      confidence: tagged ? 0.8 : 0.5,
      evidence: {
        provider: r.provider,
        model: r.model,
        feature,
        calls: r.calls,
        batch_discount: discount,
        service_tier: tier,
        saving_basis: saving.repriced ? 'batch_tier_prices' : 'batch_discount_share',
        monthly_savings_nanos: savings,
        signal: tagged ? 'tag' : 'traffic_shape',
        hourly_calls: r.hourly_calls ? [...r.hourly_calls] : null,
        monthly_cost_usd: usd(r.cost_nanos * ctx.monthScale),
      },
      action: `Queue ${feature}'s requests into a batch file and submit it to the ${r.provider} batch endpoint; results arrive within 24 hours.`,
    });
  }
  return out;
}

/**
 * What the calls would have saved on batch: their cost at today's price book on their own tier
 * less the same calls at the batch tier, exact to the nanodollar, where the price book has the
 * provider's batch rule (OpenAI, Anthropic); else the documented discount's share of their cost.
 */
function batchSaving(r: UsageAggregate, ctx: RuleContext, discount: number): { nanos: number; current: number; repriced: boolean } {
  if (batchRuleAt(r.provider, ctx.now)) {
    const current = priceAggregate(r.provider, r.model, r, ctx.now, r.service_tier);
    const batch = priceAggregate(r.provider, r.model, r, ctx.now, 'batch');
    if (current !== null && batch !== null) return { nanos: Math.max(0, current - batch), current, repriced: true };
  }
  return { nanos: r.cost_nanos * discount, current: r.cost_nanos, repriced: false };
}
