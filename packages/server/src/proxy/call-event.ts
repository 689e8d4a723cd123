import type { TrackEventInput } from '@llmlab/core';
import type { Attribution } from './attribution.js';
import { type InspectedRequest, requestHashOf } from './inspect-request.js';
import type { CallOutcome } from './providers.js';

export interface FinishedCall {
  provider: string;
  path: string;
  startedAt: number;
  latencyMs: number;
  ttfbMs?: number;
  httpStatus: number;
  /** Set for failed calls: the provider's error type, `http_<status>`, timeout, client_closed... */
  errorType?: string;
  upstreamRequestId?: string;
  outcome: CallOutcome;
}

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/** Endpoints that answer without usage because they cost nothing: a $0 call, not a missing usage. */
const FREE_PATHS = /^\/v1\/moderations(\?|$)/;

/**
 * The event a proxied call is recorded as: the usage the response reported, priced by recordEvents.
 * A call the provider accepted (2xx) whose final usage never came (a stream cut short, timed out
 * or hung up on, an answer without usage) is usage_missing: unpriced, never $0, except a free
 * endpoint's (moderations). An error answer
 * (4xx, 5xx) or no answer at all is an error with no tokens: providers do not bill it.
 */
export function callEvent(request: InspectedRequest, attribution: Attribution, call: FinishedCall): TrackEventInput {
  const u = call.outcome.usage;
  const usageMissing = call.httpStatus >= 200 && call.httpStatus < 300 && (!u || call.outcome.usagePartial === true) && !FREE_PATHS.test(call.path);
  const metadata: Record<string, unknown> = { path: call.path, http_status: call.httpStatus, stream: request.stream };
  if (call.ttfbMs !== undefined) metadata.ttfb_ms = call.ttfbMs;
  if (call.upstreamRequestId) metadata.upstream_request_id = call.upstreamRequestId;
  if (request.usageInjected) metadata.usage_requested_by_proxy = true;
  if (!u) metadata.usage_reported = false;
  Object.assign(metadata, request.pathMetadata, call.outcome.metadata);
  // A router (OpenRouter) or an alias answers with the model that served the call: the one asked for is kept beside it.
  if (request.model && call.outcome.model && call.outcome.model !== request.model && !request.pathMetadata) metadata.requested_model = request.model;
  return {
    provider: call.provider,
    model: clip(call.outcome.model ?? request.model ?? 'unknown', 200),
    input_tokens: u?.input_tokens ?? 0,
    output_tokens: u?.output_tokens ?? 0,
    cached_input_tokens: u?.cached_input_tokens ?? 0,
    cache_write_tokens: u?.cache_write_tokens ?? 0,
    reasoning_tokens: u?.reasoning_tokens ?? 0,
    usage_missing: usageMissing || undefined,
    service_tier: call.outcome.serviceTier,
    timestamp: call.startedAt,
    latency_ms: Math.max(0, Math.round(call.latencyMs)),
    status: call.errorType ? 'error' : 'success',
    error_type: call.errorType ? clip(call.errorType, 200) : undefined,
    feature: attribution.feature,
    user_id: attribution.user_id,
    environment: attribution.environment,
    session_id: attribution.session_id,
    tags: attribution.tags,
    request_hash: requestHashOf(request),
    metadata,
  };
}
