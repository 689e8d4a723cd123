import type { CachePlan } from './cache-policy.js';

/** Adds `x-llmlab-cache: MISS | BYPASS` to a relayed answer's headers when caching was asked for. */
export function withCacheStatus<H extends Record<string, string | string[]> | Record<string, string> | Headers>(headers: H, plan: CachePlan | undefined): H {
  if (!plan) return headers;
  if (headers instanceof Headers) headers.set('x-llmlab-cache', plan.status);
  else (headers as Record<string, string>)['x-llmlab-cache'] = plan.status;
  return headers;
}
