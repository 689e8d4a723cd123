import { z } from 'zod';
import { SERVICE_TIERS } from '../pricing/service-tiers.js';
import { EVENT_ID_PATTERN, EVENT_ID_RULE, REQUEST_HASH_PATTERN, REQUEST_HASH_RULE } from './patterns.js';

/** Earliest timestamp accepted on an event (2015-01-01). */
export const MIN_EVENT_TS = Date.UTC(2015, 0, 1);
/** How far ahead of the server clock an event's timestamp may be (clock skew). */
export const MAX_FUTURE_SKEW_MS = 10 * 60_000;
export const MAX_BATCH_EVENTS = 1000;

const tokenCount = (name: string) =>
  z
    .number({ error: `${name} must be a whole number of tokens` })
    .int({ error: `${name} must be a whole number of tokens` })
    .min(0, { error: `${name} must not be negative` })
    .max(100_000_000_000, { error: `${name} is too large` });

const label = (name: string, max: number) =>
  z.string({ error: `${name} must be a string` }).trim().min(1, { error: `${name} must not be empty` }).max(max, { error: `${name} is longer than ${max} characters` });

/** A timestamp as epoch milliseconds or an ISO 8601 string. */
export const TimestampInput = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true, error: 'timestamp must be epoch milliseconds or an ISO 8601 date-time' }),
]);

const JsonRecord = z.record(z.string(), z.unknown());

/** One LLM call as clients report it (POST /api/events/track and each item of a batch). */
export const TrackEventInput = z
  .strictObject({
    provider: label('provider', 64),
    model: label('model', 200),
    input_tokens: tokenCount('input_tokens'),
    output_tokens: tokenCount('output_tokens'),
    cached_input_tokens: tokenCount('cached_input_tokens').optional(),
    cache_write_tokens: tokenCount('cache_write_tokens').optional(),
    reasoning_tokens: tokenCount('reasoning_tokens').optional(),
    /** The call happened but its usage never arrived (a stream cut short, an instrumentation that reports none): stored unpriced, never as $0. */
    usage_missing: z.boolean({ error: 'usage_missing must be true or false' }).optional(),
    /** How the provider processed the call (docs/pricing.md, "Service tiers"); absent: standard. */
    service_tier: z.enum(SERVICE_TIERS, { error: `service_tier must be one of ${SERVICE_TIERS.join(', ')}` }).optional(),
    timestamp: TimestampInput.optional(),
    latency_ms: z.number().int().min(0).max(86_400_000).optional(),
    status: z.enum(['success', 'error']).optional(),
    error_type: label('error_type', 200).optional(),
    feature: label('feature', 128).optional(),
    user_id: label('user_id', 256).optional(),
    /** The conversation or agent run the call belongs to: its calls are summed as one session (GET /api/sessions). */
    session_id: label('session_id', 200).optional(),
    environment: label('environment', 64).optional(),
    request_hash: z.string().regex(REQUEST_HASH_PATTERN, { error: `request_hash must be ${REQUEST_HASH_RULE}` }).optional(),
    tags: z.record(label('tag name', 64), z.union([z.string().max(256), z.number(), z.boolean()])).optional(),
    metadata: JsonRecord.optional(),
    event_id: z.string().regex(EVENT_ID_PATTERN, { error: `event_id must be ${EVENT_ID_RULE}` }).optional(),
  })
  .superRefine((e, ctx) => {
    const cachedAndWritten = (e.cached_input_tokens ?? 0) + (e.cache_write_tokens ?? 0);
    if (cachedAndWritten > e.input_tokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['cached_input_tokens'],
        message: 'cached_input_tokens plus cache_write_tokens cannot exceed input_tokens (input includes them)',
      });
    }
    if ((e.reasoning_tokens ?? 0) > e.output_tokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['reasoning_tokens'],
        message: 'reasoning_tokens cannot exceed output_tokens (output includes them)',
      });
    }
    if (e.tags && Object.keys(e.tags).length > 32) {
      ctx.addIssue({ code: 'custom', path: ['tags'], message: 'at most 32 tags per event' });
    }
    if (e.metadata && JSON.stringify(e.metadata).length > 16_384) {
      ctx.addIssue({ code: 'custom', path: ['metadata'], message: 'metadata must serialise to at most 16 KB' });
    }
  });
export type TrackEventInput = z.infer<typeof TrackEventInput>;

export const BatchInput = z.strictObject({
  events: z
    .array(TrackEventInput)
    .min(1, { error: 'events must hold at least one event' })
    .max(MAX_BATCH_EVENTS, { error: `events must hold at most ${MAX_BATCH_EVENTS} events` }),
});
export type BatchInput = z.infer<typeof BatchInput>;

/** The ms timestamp of a wire timestamp. */
export function timestampMs(ts: number | string | undefined, now: number): number {
  if (ts === undefined) return now;
  return typeof ts === 'number' ? ts : Date.parse(ts);
}
