import { catalogRates } from '../pricing/catalog.js';
import type { Rate } from '../pricing/rates.js';
import { percent, priceAggregate, tierSuffix, usd } from './price-aggregate.js';
import type { Recommendation, RuleContext, UsageAggregate } from './types.js';

/** Fewest repeated requests, and their least share of calls, worth a response cache. */
const MIN_REPEATS = 10;
const MIN_REPEAT_SHARE = 0.05;
/** Providers cache prompts of at least 1,024 tokens (OpenAI and Anthropic minimums). */
const MIN_CACHEABLE_PROMPT = 1024;
const MIN_PROMPT_CALLS = 100;
/** A feature already caching more than this share of its input is left alone. */
const MAX_CACHED_SHARE = 0.1;
/**
 * Assumptions for prompt caching, since events carry no prompt text: half of the uncached input
 * is a stable prefix (system prompt, instructions, shared context), and 90% of the calls that
 * reuse it hit the cache while the rest write it.
 */
const CACHEABLE_SHARE = 0.5;
const HIT_RATE = 0.9;

function baseRate(rate: Rate | undefined): number | undefined {
  return typeof rate === 'object' ? rate.base : rate;
}

function responseCache(r: UsageAggregate, ctx: RuleContext): Recommendation | null {
  const repeats = r.repeated_requests ?? 0;
  if (repeats < MIN_REPEATS || repeats < MIN_REPEAT_SHARE * r.calls || r.cost_nanos <= 0) return null;
  const avoided = (r.cost_nanos * repeats) / r.calls;
  const savings = Math.round(avoided * ctx.monthScale);
  if (savings < ctx.minSavingsNanos) return null;
  const feature = r.feature ?? '(none)';
  return {
    id: `caching:response:${r.provider}/${r.model}/${feature}${tierSuffix(r)}`,
    type: 'caching',
    title: `Cache the repeated requests of ${feature}`,
    description: `${repeats} of ${r.calls} calls (${percent(repeats, r.calls)}%) of ${feature} to ${r.model} repeated a request already made in the window. Answering them from a cache would save $${usd(savings)} a month.`,
    estimated_monthly_savings: usd(savings),
    savings_percentage: percent(repeats, r.calls),
    confidence: 0.7,
    evidence: {
      kind: 'response_cache',
      provider: r.provider,
      model: r.model,
      feature,
      calls: r.calls,
      repeated_requests: repeats,
      monthly_cost_usd: usd(r.cost_nanos * ctx.monthScale),
    },
    action: `Cache ${feature}'s responses keyed by the request hash (for deterministic requests, e.g. temperature 0).`,
  };
}

function promptCache(r: UsageAggregate, ctx: RuleContext): Recommendation | null {
  const rates = catalogRates(r.provider, r.model, ctx.now)?.rates;
  const input = baseRate(rates?.input_mtok);
  const read = baseRate(rates?.cache_read_mtok);
  if (input === undefined || read === undefined || read >= input) return null;
  if (r.calls < MIN_PROMPT_CALLS || r.input_tokens / r.calls < MIN_CACHEABLE_PROMPT) return null;
  if (r.cached_input_tokens > MAX_CACHED_SHARE * r.input_tokens) return null;
  const uncached = r.input_tokens - r.cached_input_tokens - r.cache_write_tokens;
  const cacheable = uncached * CACHEABLE_SHARE;
  const withCache = {
    ...r,
    cached_input_tokens: r.cached_input_tokens + cacheable * HIT_RATE,
    cache_write_tokens: r.cache_write_tokens + cacheable * (1 - HIT_RATE),
  };
  const before = priceAggregate(r.provider, r.model, r, ctx.now, r.service_tier);
  const after = priceAggregate(r.provider, r.model, withCache, ctx.now, r.service_tier);
  if (before === null || after === null || after >= before) return null;
  const savings = Math.round((before - after) * ctx.monthScale);
  if (savings < ctx.minSavingsNanos) return null;
  const feature = r.feature ?? '(none)';
  return {
    id: `caching:prompt:${r.provider}/${r.model}/${feature}${tierSuffix(r)}`,
    type: 'caching',
    title: `Turn on prompt caching for ${feature}`,
    description:
      `${feature} sends ${Math.round(r.input_tokens / r.calls)} input tokens per call to ${r.model} and almost none are cached. ` +
      `${r.provider} bills cached input at $${read}/Mtok instead of $${input}/Mtok: if half the prompt is a stable prefix, that saves $${usd(savings)} a month.`,
    estimated_monthly_savings: usd(savings),
    savings_percentage: percent(before - after, before),
    confidence: 0.4,
    evidence: {
      kind: 'prompt_cache',
      provider: r.provider,
      model: r.model,
      feature,
      calls: r.calls,
      input_tokens: r.input_tokens,
      cached_input_tokens: r.cached_input_tokens,
      input_rate_mtok: input,
      cache_read_rate_mtok: read,
      assumed_cacheable_share: CACHEABLE_SHARE,
      assumed_hit_rate: HIT_RATE,
      monthly_cost_usd: usd(before * ctx.monthScale),
    },
    action:
      r.provider === 'anthropic'
        ? `Put the stable part of ${feature}'s prompt first and mark it with cache_control.`
        : `Put the stable part of ${feature}'s prompt first so the provider's automatic prompt cache can reuse it.`,
  };
}

/**
 * Identical requests (by request hash, never the prompt text) that a response cache would have
 * answered, and long uncached prompts on providers that bill cached input for less.
 */
export function recommendCaching(usage: readonly UsageAggregate[], ctx: RuleContext): Recommendation[] {
  return usage.flatMap((r) => [responseCache(r, ctx), promptCache(r, ctx)].filter((x): x is Recommendation => x !== null));
}
