import { coveringLimits, METRIC_WINDOWS, msUntilFits, refusalMessage } from '@llmlab/core';
import { withDeadline } from '../db/errors.js';
import type { Attribution } from '../proxy/attribution.js';
import type { Gateway } from '../proxy/gateway.js';
import { estimateCostNanos } from '../proxy/hard-budgets.js';
import type { InspectedRequest } from '../proxy/inspect-request.js';
import { type ProjectProfile, RESERVE_DEADLINE_MS } from '../proxy/project-profiles.js';
import { gatewayError } from '../proxy/proxy-call.js';
import type { ProviderSpec } from '../proxy/providers.js';
import { admittedHeaders, type RateLimitHeaders, refusalHeaders } from './rate-limit-headers.js';
import { type CallAmounts, sweepCounters, takeRateLimits } from './take-rate-limits.js';

export interface RateLimitedCall {
  profile: ProjectProfile | undefined;
  request: InspectedRequest;
  attribution: Attribution;
  now: number;
  /** The profile is a stale copy because the database cannot be reached. */
  databaseDown: boolean;
}

/**
 * Counts a proxied call against the project's rate limits before it leaves: the headers to add
 * to its answer, or the 429 (503 for a fail-closed project whose database is down) to answer
 * instead. Only calls that name a model count. When the database cannot be reached the call
 * goes uncounted (fail-open, the default), as hard budgets do.
 */
export async function checkRateLimits(gw: Gateway, spec: ProviderSpec, call: RateLimitedCall): Promise<RateLimitHeaders | Response | undefined> {
  const { profile, request, attribution, now } = call;
  if (!profile?.rateLimits.length || call.databaseDown || !request.tracked) return undefined;
  const limits = coveringLimits(profile.rateLimits, { provider: spec.provider, model: request.model, feature: attribution.feature, endUser: attribution.user_id, apiKeyId: profile.actor.keyId });
  if (!limits.length) return undefined;
  const amounts = amountsOf(spec, profile, request, now, limits.some((l) => l.rule.limits.tokens !== undefined || l.rule.limits.cost !== undefined));
  try {
    const taken = await withDeadline(takeRateLimits(gw.ctx, profile.actor.projectId, limits, amounts, gw.ctx.now), RESERVE_DEADLINE_MS);
    gw.health.report(true);
    sweepCounters(gw.ctx, gw.ctx.now());
    if (taken.ok) return admittedHeaders(taken.windows);
    const { refused, amount } = taken;
    const w = METRIC_WINDOWS[refused.metric];
    const waitMs = msUntilFits(w, refused.limit.rule.limits[refused.metric] as number, refused.counts, refused.elapsed, amount);
    const answer = gatewayError(spec, 'rate_limited', refusalMessage(refused.limit, refused.metric, waitMs, amount));
    for (const [name, value] of Object.entries(refusalHeaders(refused, waitMs))) answer.headers.set(name, value);
    return answer;
  } catch (err) {
    gw.health.report(false);
    if (profile.failMode === 'closed') return gatewayError(spec, 'unavailable', 'LLMLab proxy: rate limits cannot be checked (database unreachable) and this project is set to fail closed; retry shortly');
    gw.ctx.log.warn('rate limits not enforced: database unreachable (fail-open)', { project_id: profile.actor.projectId, error: (err as Error).message });
    return undefined;
  }
}

/** One request; tokens and cost (read from the body) only when a limit counts them. */
function amountsOf(spec: ProviderSpec, profile: ProjectProfile, request: InspectedRequest, now: number, needsBody: boolean): CallAmounts {
  if (!needsBody) return { requests: 1, tokens: 0, cost: 0 };
  const tokens = { input: request.inputTokensEstimate, output: request.outputTokensEstimate };
  // An unpriced model costs at least a nanodollar, so an exhausted hour still refuses it.
  const cost = Math.max(1, estimateCostNanos(profile, { provider: spec.provider, model: request.model ?? '' }, tokens, now));
  return { requests: 1, tokens: tokens.input + tokens.output, cost };
}
