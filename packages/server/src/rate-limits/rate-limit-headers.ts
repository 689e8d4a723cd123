import { METRIC_WINDOWS, msUntilEmpty, remainingOf } from '@llmlab/core';
import type { WindowState } from './take-rate-limits.js';

/** Rate limit headers of a proxied answer, lower-case names. */
export type RateLimitHeaders = Record<string, string>;

/** The metrics OpenAI's clients have headers for (`x-ratelimit-*-requests`, `-tokens`); cost has none. */
const HEADED = ['requests', 'tokens'] as const;

/**
 * A duration as OpenAI writes it in `x-ratelimit-reset-*`.
 * @example formatReset(61_000) // "1m1s"
 * @example formatReset(6_500) // "6.5s"
 * @example formatReset(120) // "120ms"
 */
export function formatReset(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round(ms - minutes * 60_000) / 1000;
  return minutes ? `${minutes}m${seconds}s` : `${seconds}s`;
}

function windowHeaders(out: RateLimitHeaders, w: WindowState, remaining: number): void {
  const limit = w.limit.rule.limits[w.metric] as number;
  out[`x-ratelimit-limit-${w.metric}`] = String(limit);
  out[`x-ratelimit-remaining-${w.metric}`] = String(remaining);
  out[`x-ratelimit-reset-${w.metric}`] = formatReset(msUntilEmpty(METRIC_WINDOWS[w.metric], w.counts, w.elapsed));
}

/** After an admitted call: the limit, what is left and when it is full again, of the tightest request and token window the call counted in. */
export function admittedHeaders(windows: WindowState[]): RateLimitHeaders {
  const out: RateLimitHeaders = {};
  for (const metric of HEADED) {
    let tightest: { w: WindowState; remaining: number } | undefined;
    for (const w of windows) {
      if (w.metric !== metric) continue;
      const remaining = remainingOf(METRIC_WINDOWS[metric], w.limit.rule.limits[metric] as number, w.counts, w.elapsed);
      if (!tightest || remaining < tightest.remaining) tightest = { w, remaining };
    }
    if (tightest) windowHeaders(out, tightest.w, tightest.remaining);
  }
  return out;
}

/** A refusal: the refusing window, when to retry (none, and no retrying, when the call alone is over the limit). */
export function refusalHeaders(refused: WindowState, waitMs: number): RateLimitHeaders {
  const out: RateLimitHeaders = {};
  if (refused.metric !== 'cost') windowHeaders(out, refused, remainingOf(METRIC_WINDOWS[refused.metric], refused.limit.rule.limits[refused.metric] as number, refused.counts, refused.elapsed));
  if (Number.isFinite(waitMs)) {
    out['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
    out['retry-after-ms'] = String(Math.max(1, Math.ceil(waitMs)));
  } else {
    out['x-should-retry'] = 'false';
  }
  return out;
}

/**
 * The provider's answer headers with LLMLab's: for requests and for tokens, whichever of the
 * provider's own limit and LLMLab's leaves fewer calls remaining is the one the client sees.
 */
export function withRateLimitHeaders<H extends Record<string, string | string[]> | Record<string, string> | Headers>(headers: H, ours: RateLimitHeaders | undefined): H {
  if (!ours) return headers;
  const get = (name: string) => (headers instanceof Headers ? (headers.get(name) ?? undefined) : (headers as Record<string, string | string[]>)[name]);
  const set = (name: string, value: string) => {
    if (headers instanceof Headers) headers.set(name, value);
    else (headers as Record<string, string>)[name] = value;
  };
  for (const metric of HEADED) {
    const remaining = ours[`x-ratelimit-remaining-${metric}`];
    if (remaining === undefined) continue;
    const theirs = get(`x-ratelimit-remaining-${metric}`);
    if (typeof theirs === 'string' && Number(theirs) < Number(remaining)) continue;
    for (const part of ['limit', 'remaining', 'reset']) set(`x-ratelimit-${part}-${metric}`, ours[`x-ratelimit-${part}-${metric}`]);
  }
  return headers;
}
