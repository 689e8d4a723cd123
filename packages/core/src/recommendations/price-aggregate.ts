import { priceUsage } from '../pricing/price-book.js';
import type { TokenUsage } from '../pricing/rates.js';
import type { ServiceTier } from '../pricing/service-tiers.js';
import type { UsageAggregate } from './types.js';

export type AggregateTokens = Pick<
  UsageAggregate,
  'calls' | 'input_tokens' | 'output_tokens' | 'cached_input_tokens' | 'cache_write_tokens' | 'reasoning_tokens'
>;

/**
 * What `tokens` would cost on (provider, model) at `ts` from the catalog on `serviceTier`
 * (standard when absent), or null when the model has no price. Priced per average call, times
 * the calls: tiered prices switch on the size of one prompt, never on a month's total.
 * @example priceAggregate('openai', 'gpt-4o', { calls: 10, input_tokens: 10_000, output_tokens: 5_000, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 }, now) // 75_000_000
 */
export function priceAggregate(provider: string, model: string, tokens: AggregateTokens, ts: number, serviceTier?: ServiceTier): number | null {
  if (tokens.calls <= 0) return 0;
  const perCall: TokenUsage = {
    input_tokens: tokens.input_tokens / tokens.calls,
    output_tokens: tokens.output_tokens / tokens.calls,
    cached_input_tokens: tokens.cached_input_tokens / tokens.calls,
    cache_write_tokens: tokens.cache_write_tokens / tokens.calls,
    reasoning_tokens: tokens.reasoning_tokens / tokens.calls,
  };
  const { cost_nanos } = priceUsage({ provider, model, ts, usage: perCall, serviceTier });
  return cost_nanos === null ? null : cost_nanos * tokens.calls;
}

/** What tells an aggregate's advice apart from the same feature's on another tier: '' for standard, `@<tier>` else. */
export function tierSuffix(r: Pick<UsageAggregate, 'service_tier'>): string {
  return r.service_tier && r.service_tier !== 'standard' ? `@${r.service_tier}` : '';
}

/** Adds aggregates up (e.g. one model's features). */
export function sumTokens(rows: readonly AggregateTokens[]): AggregateTokens {
  const sum: AggregateTokens = { calls: 0, input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
  for (const r of rows) {
    sum.calls += r.calls;
    sum.input_tokens += r.input_tokens;
    sum.output_tokens += r.output_tokens;
    sum.cached_input_tokens += r.cached_input_tokens;
    sum.cache_write_tokens += r.cache_write_tokens;
    sum.reasoning_tokens += r.reasoning_tokens;
  }
  return sum;
}

/** Groups rows by a key, keeping first-seen order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** Nanos to USD rounded to 6 places, as the API shows money. */
export function usd(nanos: number): number {
  return Math.round(nanos / 1000) / 1_000_000;
}

/** A share as a percentage with one decimal. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}
