import { EVENT_ID_PATTERN, EVENT_ID_RULE, REQUEST_HASH_PATTERN, REQUEST_HASH_RULE } from '@llmlab/core/patterns';
import { ValidationError } from '../errors.js';
import { newEventId } from './event-id.js';

export type TagValue = string | number | boolean;

/** The service tiers an event can carry (docs/pricing.md, "Service tiers"). */
export type ServiceTier = 'standard' | 'batch' | 'flex' | 'priority';
const SERVICE_TIERS: readonly string[] = ['standard', 'batch', 'flex', 'priority'] satisfies ServiceTier[];

/** One LLM call as `track()` takes it. Token counts follow LLMLab's semantics: input includes cached reads and cache writes, output includes reasoning. */
export interface TrackInput {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /**
   * The call happened but its usage never arrived (a stream cut short, a response without usage):
   * it is stored unpriced (cost null, counted in `unpriced_calls`), never as a $0 call. The token
   * counts are then whatever was seen, 0 if nothing.
   */
  usageMissing?: boolean;
  /** How the provider processed the call (the wrappers read it from the answer); absent: standard. Priced by its tier (docs/pricing.md). */
  serviceTier?: ServiceTier;
  /** When the call happened (default: now). */
  timestamp?: Date | number | string;
  latencyMs?: number;
  status?: 'success' | 'error';
  errorType?: string;
  feature?: string;
  userId?: string;
  /** The conversation or agent run the call belongs to, at most 200 characters. */
  sessionId?: string;
  environment?: string;
  /** SHA-256 of the canonical request body, so the server can spot repeated requests. */
  requestHash?: string;
  tags?: Record<string, TagValue>;
  metadata?: Record<string, unknown>;
  /** Idempotency key; a time-ordered UUIDv7 is generated when absent. */
  eventId?: string;
}

/** The event as POST /api/events/batch takes it. */
export interface WireEvent {
  event_id: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  usage_missing?: boolean;
  service_tier?: ServiceTier;
  timestamp: number | string;
  latency_ms?: number;
  status?: 'success' | 'error';
  error_type?: string;
  feature?: string;
  user_id?: string;
  session_id?: string;
  environment?: string;
  request_hash?: string;
  tags?: Record<string, TagValue>;
  metadata?: Record<string, unknown>;
}


function fail(field: string, message: string): never {
  throw new ValidationError('validation_failed', `${field} ${message}`, 0, [{ path: field, message }]);
}

function tokens(field: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 0) fail(field, 'must be a whole, non-negative number of tokens');
  return v;
}

function text(field: string, v: string | undefined, max: number): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') fail(field, 'must be a non-empty string');
  const t = v.trim();
  if (t.length > max) fail(field, `is longer than ${max} characters`);
  return t;
}

function timestampOf(ts: TrackInput['timestamp']): number | string {
  if (ts === undefined) return Date.now();
  if (ts instanceof Date) return ts.getTime();
  if (typeof ts === 'number' && Number.isInteger(ts) && ts >= 0) return ts;
  if (typeof ts === 'string' && !Number.isNaN(Date.parse(ts))) return ts;
  return fail('timestamp', 'must be a Date, epoch milliseconds or an ISO 8601 string');
}

function checkTags(tags: Record<string, TagValue>): void {
  const names = Object.keys(tags);
  if (names.length > 32) fail('tags', 'holds more than 32 tags');
  for (const name of names) {
    const v = tags[name];
    if (name.trim() === '' || name.length > 64) fail('tags', `name "${name}" must be 1-64 characters`);
    if (typeof v === 'string' ? v.length > 256 : typeof v !== 'number' && typeof v !== 'boolean') {
      fail(`tags.${name}`, 'must be a string of at most 256 characters, a number or a boolean');
    }
  }
}

function checkMetadata(metadata: Record<string, unknown>): void {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) fail('metadata', 'must be an object');
  if (JSON.stringify(metadata).length > 16_384) fail('metadata', 'must serialise to at most 16 KB');
}

/**
 * Validates a call and turns it into its wire form, so that one bad event is refused here with
 * a clear message instead of making the server reject the whole batch it travels in.
 */
export function toWireEvent(e: TrackInput): WireEvent {
  const input = tokens('inputTokens', e.inputTokens) ?? fail('inputTokens', 'is required');
  const output = tokens('outputTokens', e.outputTokens) ?? fail('outputTokens', 'is required');
  const cached = tokens('cachedInputTokens', e.cachedInputTokens);
  const written = tokens('cacheWriteTokens', e.cacheWriteTokens);
  const reasoning = tokens('reasoningTokens', e.reasoningTokens);
  if ((cached ?? 0) + (written ?? 0) > input) fail('cachedInputTokens', 'plus cacheWriteTokens cannot exceed inputTokens (input includes them)');
  if ((reasoning ?? 0) > output) fail('reasoningTokens', 'cannot exceed outputTokens (output includes them)');
  if (e.eventId !== undefined && !EVENT_ID_PATTERN.test(e.eventId)) fail('eventId', `must be ${EVENT_ID_RULE}`);
  if (e.requestHash !== undefined && !REQUEST_HASH_PATTERN.test(e.requestHash)) fail('requestHash', `must be ${REQUEST_HASH_RULE}`);
  if (e.usageMissing !== undefined && typeof e.usageMissing !== 'boolean') fail('usageMissing', 'must be true or false');
  if (e.serviceTier !== undefined && !SERVICE_TIERS.includes(e.serviceTier)) fail('serviceTier', `must be one of ${SERVICE_TIERS.join(', ')}`);
  if (e.latencyMs !== undefined && !(Number.isFinite(e.latencyMs) && e.latencyMs >= 0)) fail('latencyMs', 'must be a non-negative number');
  if (e.tags) checkTags(e.tags);
  if (e.metadata !== undefined) checkMetadata(e.metadata);
  const event: WireEvent = {
    event_id: e.eventId ?? newEventId(),
    provider: text('provider', e.provider, 64) ?? fail('provider', 'is required'),
    model: text('model', e.model, 200) ?? fail('model', 'is required'),
    input_tokens: input,
    output_tokens: output,
    timestamp: timestampOf(e.timestamp),
  };
  if (cached) event.cached_input_tokens = cached;
  if (written) event.cache_write_tokens = written;
  if (reasoning) event.reasoning_tokens = reasoning;
  if (e.usageMissing) event.usage_missing = true;
  if (e.serviceTier) event.service_tier = e.serviceTier;
  if (e.latencyMs !== undefined) event.latency_ms = Math.round(e.latencyMs);
  if (e.status) event.status = e.status;
  if (e.errorType !== undefined) event.error_type = text('errorType', e.errorType, 200);
  if (e.feature !== undefined) event.feature = text('feature', e.feature, 128);
  if (e.userId !== undefined) event.user_id = text('userId', e.userId, 256);
  if (e.sessionId !== undefined) event.session_id = text('sessionId', e.sessionId, 200);
  if (e.environment !== undefined) event.environment = text('environment', e.environment, 64);
  if (e.requestHash) event.request_hash = e.requestHash;
  if (e.tags && Object.keys(e.tags).length > 0) event.tags = e.tags;
  if (e.metadata && Object.keys(e.metadata).length > 0) event.metadata = e.metadata;
  return event;
}
