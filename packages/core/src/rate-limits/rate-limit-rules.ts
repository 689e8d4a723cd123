import { formatUsdPrecise, nanosToUsd } from '../money/nanos.js';
import { BUCKETS_PER_WINDOW, type SlidingWindow } from './sliding-window.js';

/** What a rate limit counts: calls, tokens (prompt estimate plus max output) or cost (nanodollars, at most). */
export const RATE_LIMIT_METRICS = ['requests', 'tokens', 'cost'] as const;
export type RateLimitMetric = (typeof RATE_LIMIT_METRICS)[number];

/** Requests and tokens are limited per minute, cost per hour. */
export const METRIC_WINDOWS: Record<RateLimitMetric, SlidingWindow> = {
  requests: { windowMs: 60_000, buckets: BUCKETS_PER_WINDOW },
  tokens: { windowMs: 60_000, buckets: BUCKETS_PER_WINDOW },
  cost: { windowMs: 3_600_000, buckets: BUCKETS_PER_WINDOW },
};

export type RateLimitDimension = 'end_user' | 'api_key' | 'feature';

/** A rate limit as the proxy and the SDK guard hold it. */
export interface RateLimitRule {
  id: string;
  name: string;
  scope: { provider?: string; model?: string; feature?: string; end_user?: string; api_key_id?: string } | null;
  /** Each value of this dimension has its own window; null: one window for every call in scope. */
  per: RateLimitDimension | null;
  /** The limit of each metric it sets, a window long; cost in nanodollars. */
  limits: Partial<Record<RateLimitMetric, number>>;
}

/** A call as rate limits see it. */
export interface RateLimitCall {
  provider: string;
  model?: string;
  feature?: string;
  endUser?: string;
  apiKeyId?: string;
}

const same = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();

function covers(rule: RateLimitRule, call: RateLimitCall): boolean {
  const s = rule.scope;
  if (!s) return true;
  return (
    (!s.provider || same(s.provider, call.provider)) &&
    (!s.model || same(s.model, call.model)) &&
    (!s.feature || s.feature === call.feature) &&
    (!s.end_user || s.end_user === call.endUser) &&
    (!s.api_key_id || s.api_key_id === call.apiKeyId)
  );
}

function windowValue(per: RateLimitDimension, call: RateLimitCall): string | undefined {
  return per === 'end_user' ? call.endUser : per === 'api_key' ? call.apiKeyId : call.feature;
}

/** A rate limit that covers a call, and the window it counts in: the call's end user, key or feature for `per`, else '' (one window). */
export interface CoveringLimit {
  rule: RateLimitRule;
  value: string;
}

/**
 * The rate limits whose scope covers the call, in id order (the order their counters are taken
 * in, so two calls never wait on each other in a cycle). A limit `per` a dimension the call
 * names no value of (no end user given) does not apply to it.
 * @example coveringLimits([{ id: 'a', name: 'each customer', scope: null, per: 'end_user', limits: { requests: 10 } }], { provider: 'openai', endUser: 'c-42' }) // [{ rule, value: 'c-42' }]
 */
export function coveringLimits(rules: readonly RateLimitRule[], call: RateLimitCall): CoveringLimit[] {
  const out: CoveringLimit[] = [];
  for (const rule of rules) {
    if (!covers(rule, call)) continue;
    const value = rule.per ? windowValue(rule.per, call) : '';
    if (value !== undefined) out.push({ rule, value });
  }
  return out.sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));
}

const WHOSE: Record<RateLimitDimension, string> = { end_user: 'end user', api_key: 'API key', feature: 'feature' };

/**
 * A metric's limit in words.
 * @example describeLimit('requests', 10) // "10 requests a minute"
 * @example describeLimit('cost', 5_000_000_000) // "$5.00 an hour"
 */
export function describeLimit(metric: RateLimitMetric, limit: number): string {
  if (metric === 'cost') return `${formatUsdPrecise(nanosToUsd(limit))} an hour`;
  const noun = metric === 'requests' ? (limit === 1 ? 'request' : 'requests') : limit === 1 ? 'token' : 'tokens';
  return `${limit.toLocaleString('en-US')} ${noun} a minute`;
}

/**
 * Why a call is refused, naming the limit, whose window it is and when to retry (`waitMs`
 * Infinity: the call alone is more than the limit).
 * @example refusalMessage({ rule, value: 'customer-42' }, 'requests', 12_000, 1) // 'LLMLab rate limit "batch team": 10 requests a minute for end user customer-42; retry in 12 s'
 */
export function refusalMessage(limit: CoveringLimit, metric: RateLimitMetric, waitMs: number, amount: number): string {
  const { rule, value } = limit;
  const whose = rule.per ? ` for ${WHOSE[rule.per]} ${value}` : '';
  const head = `LLMLab rate limit "${rule.name}": ${describeLimit(metric, rule.limits[metric] as number)}${whose}`;
  if (Number.isFinite(waitMs)) return `${head}; retry in ${Math.max(1, Math.ceil(waitMs / 1000))} s`;
  const counted = metric === 'cost' ? `may cost ${formatUsdPrecise(nanosToUsd(amount))}` : `counts ${amount.toLocaleString('en-US')} tokens (prompt estimate plus max output)`;
  return `${head}; this call alone ${counted}, more than the limit allows: lower max_tokens or the prompt`;
}
