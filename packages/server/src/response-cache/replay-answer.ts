import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { TokenUsage, TrackEventInput } from '@llmlab/core';
import type { Gateway } from '../proxy/gateway.js';
import type { ProjectProfile } from '../proxy/project-profiles.js';
import { stripUsageChunk } from '../proxy/stream-taps.js';
import type { CacheConsultation } from './consultation.js';
import type { CachedAnswer } from './find-cached-answer.js';

/** The stored stream as a client that did not ask for usage gets it: the usage chunk the proxy asked for removed, as on the first call. */
function withoutUsageChunk(body: Buffer): Buffer {
  const filter = stripUsageChunk();
  const parts = [filter.push(body), filter.flush()].filter((p): p is Uint8Array => p !== undefined);
  return Buffer.concat(parts);
}

/**
 * Answers a call with a stored answer, byte for byte as the provider sent it (a JSON body, or
 * the whole event stream), marked `x-llmlab-cache: HIT` with its `age` in seconds, and queues the
 * hit's event: cost 0, and what it saved priced when the event is written.
 */
export function replayAnswer(gw: Gateway, c: CacheConsultation, profile: ProjectProfile, entry: CachedAnswer): Response {
  const stored = Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength);
  const sse = entry.content_type?.includes('text/event-stream') ?? false;
  const body = sse && c.request.usageInjected ? withoutUsageChunk(stored) : stored;
  const headers: Record<string, string> = {
    'content-type': entry.content_type ?? 'application/json',
    'content-length': String(body.byteLength),
    'x-llmlab-cache': 'HIT',
    age: String(Math.max(0, Math.floor((c.startedAt - entry.created_at) / 1000))),
  };
  let answer: Response = RESPONSE_ALREADY_SENT;
  if (c.outgoing) {
    c.outgoing.writeHead(entry.status, headers);
    c.outgoing.end(body);
  } else {
    answer = new Response(body as Uint8Array<ArrayBuffer>, { status: entry.status, headers });
  }
  const usage: TokenUsage = {
    input_tokens: entry.input_tokens,
    output_tokens: entry.output_tokens,
    cached_input_tokens: entry.cached_input_tokens,
    cache_write_tokens: entry.cache_write_tokens,
    reasoning_tokens: entry.reasoning_tokens,
  };
  gw.usage.add({ actor: profile.actor, key: c.key, event: hitEvent(c, entry, usage), reservationIds: [], cacheHit: { usage } });
  return answer;
}

/** The event of a hit: no tokens billed and cost 0 (see recordEvents); the stored answer's usage in metadata. */
function hitEvent(c: CacheConsultation, entry: CachedAnswer, usage: TokenUsage): TrackEventInput {
  return {
    provider: c.spec.provider,
    model: entry.model,
    input_tokens: 0,
    output_tokens: 0,
    timestamp: c.startedAt,
    latency_ms: Math.max(0, Math.round(performance.now() - c.started)),
    status: 'success',
    feature: c.attribution.feature,
    user_id: c.attribution.user_id,
    environment: c.attribution.environment,
    tags: c.attribution.tags,
    metadata: { path: c.path, http_status: entry.status, stream: c.request.stream, cache: 'hit', cached_usage: usage, cached_at: new Date(entry.created_at).toISOString() },
  };
}
