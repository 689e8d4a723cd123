import { withDeadline } from '../db/errors.js';
import type { Gateway } from '../proxy/gateway.js';
import { gatewayError } from '../proxy/proxy-call.js';
import { type CachePlan, cacheKeyOf, decideCaching } from './cache-policy.js';
import type { CacheConsultation } from './consultation.js';
import { findCachedAnswer } from './find-cached-answer.js';
import { replayAnswer } from './replay-answer.js';

/** How long a call waits for the cache before it goes upstream uncached. */
export const LOOKUP_DEADLINE_MS = 250;

const BYPASS: CachePlan = { status: 'BYPASS' };

/**
 * Answers a call from the project's response cache when it holds a fresh answer to it: the
 * Response (or RESPONSE_ALREADY_SENT, written to the client's socket), recorded as a hit, with no
 * budget reserved and no upstream contacted. Otherwise what to do with the answer (CachePlan), or
 * undefined when caching is not asked for. A bad cache header answers 400; a cache that cannot be
 * read is bypassed.
 */
export async function consultCache(gw: Gateway, c: CacheConsultation): Promise<CachePlan | Response | undefined> {
  const { request } = c;
  // The body is parsed only once caching is asked for: most calls never reach the getter.
  const decision = decideCaching({
    provider: c.spec.format,
    method: c.method,
    path: c.path,
    get json() {
      return request.parsedBody;
    },
    headers: c.headers,
    setting: c.profile?.cache,
  });
  if (decision.kind === 'off') return undefined;
  if (decision.kind === 'invalid') return gatewayError(c.spec, 'bad_request', `LLMLab proxy: ${decision.message}`);
  if (decision.kind === 'bypass' || !c.profile || c.databaseDown) return BYPASS;
  const key = cacheKeyOf(c.spec.name, c.method, c.target, c.headers, decision.canonicalBody);
  const ttlMs = decision.ttlSeconds * 1000;
  try {
    const found = await withDeadline(findCachedAnswer(gw.ctx, { projectId: c.profile.actor.projectId, key, now: c.startedAt, maxAgeMs: ttlMs }), LOOKUP_DEADLINE_MS);
    return found ? replayAnswer(gw, c, c.profile, found) : { status: 'MISS', key, ttlMs };
  } catch (err) {
    gw.ctx.log.warn('response cache not read: the call goes upstream uncached', { project_id: c.profile.actor.projectId, error: (err as Error).message });
    return BYPASS;
  }
}
