import { usdToNanos } from '../money/nanos.js';
import { recommendBatchApi } from './recommend-batch-api.js';
import { recommendCaching } from './recommend-caching.js';
import { recommendModelSwitch } from './recommend-model-switch.js';
import { recommendPromptSize } from './recommend-prompt-size.js';
import { recommendProviderDiversification } from './recommend-provider-diversification.js';
import type { Recommendation, RecommendInput, RuleContext } from './types.js';

const MONTH_DAYS = 30;

/**
 * Advice with dollar figures from the project's own usage and real catalog prices: each
 * saving is what the window would have cost differently, scaled to a 30-day month. Usage
 * without spend gives an empty list. Largest saving first. Savings of different advice
 * overlap (a cheaper model also makes caching save less): they do not add up.
 * @example recommend({ usage: [], now: Date.now() }) // []
 */
export function recommend(input: RecommendInput): Recommendation[] {
  const usage = input.usage.filter((r) => r.calls > 0);
  if (usage.length === 0) return [];
  const days = input.days ?? MONTH_DAYS;
  const ctx: RuleContext = {
    now: input.now,
    monthScale: MONTH_DAYS / Math.max(days, 1),
    minSavingsNanos: usdToNanos(input.min_monthly_savings_usd ?? 1),
  };
  return [
    ...recommendModelSwitch(usage, ctx),
    ...recommendPromptSize(usage, ctx),
    ...recommendProviderDiversification(usage, ctx),
    ...recommendCaching(usage, ctx),
    ...recommendBatchApi(usage, ctx),
  ].sort((a, b) => b.estimated_monthly_savings - a.estimated_monthly_savings || a.id.localeCompare(b.id));
}
