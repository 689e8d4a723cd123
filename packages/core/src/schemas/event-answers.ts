import { z } from 'zod';
import { SERVICE_TIERS } from '../pricing/service-tiers.js';
import { Count, EpochMs, IsoTime, Nanos, RawEventsSince, Usd } from './common.js';

// The answers of the event routes; the inputs they answer are in events.ts.

/** Where an event was captured. */
export const EVENT_SOURCES = ['api', 'sdk', 'proxy', 'otlp'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** One stored LLM call (GET /api/events, GET /api/events/{event_id}, each row of the JSON export). */
export const EventAnswer = z
  .strictObject({
    event_id: z.string().describe("The client's idempotency key when it sent one, else a generated time-ordered id"),
    ts: EpochMs,
    timestamp: IsoTime,
    provider: z.string(),
    model: z.string(),
    input_tokens: Count.describe('Includes cached_input_tokens and cache_write_tokens'),
    output_tokens: Count.describe('Includes reasoning_tokens'),
    cached_input_tokens: Count,
    cache_write_tokens: Count,
    reasoning_tokens: Count,
    cost: Usd.nullable().describe('USD; null when the call could not be priced'),
    cost_nanos: Nanos.nullable(),
    priced: z.boolean(),
    price_source: z.string().nullable().describe('catalog:<source>/<model>, override:<id>, tier:<provider>/<tier>/<model>@<date> (a model\'s own flex or priority price), each with +batch when the provider\'s batch discount applied or +<tier>@standard when the tier has no published price and standard rates applied; usage_missing, cache_hit (an answer the proxy served from its response cache: cost 0), no_tokens (a failed call that used no tokens, of a model no price names: cost 0), or null when unpriced'),
    usage_missing: z.boolean().describe('The capture saw the call but no token usage (cost null, price_source usage_missing)'),
    service_tier: z.enum(SERVICE_TIERS).nullable().describe('How the provider processed the call (standard, batch, flex, priority), from its answer or the caller; null when neither said, priced as standard (docs/pricing.md, "Service tiers")'),
    cache_hit: z.boolean().describe('The proxy answered from its response cache: the provider was not called, cost is 0 and the tokens are 0 (the stored answer\'s usage is in metadata.cached_usage)'),
    saved: Usd.nullable().describe('USD a cache hit saved: its stored usage priced at the moment of the hit with the project\'s price book; null for other calls, or when that usage cannot be priced'),
    saved_nanos: Nanos.nullable(),
    latency_ms: z.number().int().nullable(),
    status: z.enum(['success', 'error']),
    error_type: z.string().nullable(),
    feature: z.string().nullable(),
    user_id: z.string().nullable(),
    session_id: z.string().nullable().describe('The conversation or agent run the call belongs to (see GET /api/sessions); null when the call named none'),
    environment: z.string().nullable(),
    source: z.enum(EVENT_SOURCES),
    api_key_id: z.string().nullable().describe('The id of the API key that sent the event (see GET /api/keys); null when a dashboard session sent it, or for events stored before keys were recorded'),
    request_hash: z.string().nullable(),
    tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Event' });
export type EventAnswer = z.infer<typeof EventAnswer>;

/** GET /api/events: newest first; `next_cursor` continues where the page ended. */
export const EventPageAnswer = z
  .strictObject({ events: z.array(EventAnswer), next_cursor: z.string().nullable(), raw_events_since: RawEventsSince })
  .meta({ id: 'EventPage' });
export type EventPageAnswer = z.infer<typeof EventPageAnswer>;

/** GET /api/export?format=json: every matching event, oldest first. */
export const EventExportAnswer = z.array(EventAnswer);
export type EventExportAnswer = z.infer<typeof EventExportAnswer>;

/** How one reported call was recorded: its cost, or that its event_id was already stored. */
export const RecordedEventAnswer = z
  .strictObject({
    event_id: z.string(),
    cost: Usd.nullable(),
    cost_nanos: Nanos.nullable(),
    priced: z.boolean(),
    price_source: z.string().nullable(),
    duplicate: z.boolean().describe('The event_id was already stored: nothing was written, cost is the stored one'),
  })
  .meta({ id: 'RecordedEvent' });
export type RecordedEventAnswer = z.infer<typeof RecordedEventAnswer>;

/** POST /api/events/track. */
export const TrackAnswer = z.strictObject({ success: z.literal(true), ...RecordedEventAnswer.shape }).meta({ id: 'TrackResult' });
export type TrackAnswer = z.infer<typeof TrackAnswer>;

/** POST /api/events/batch. */
export const BatchAnswer = z
  .strictObject({ success: z.literal(true), accepted: Count, duplicates: Count, events: z.array(RecordedEventAnswer) })
  .meta({ id: 'BatchResult' });
export type BatchAnswer = z.infer<typeof BatchAnswer>;
