import { AppError, type EventAnswer, nanosToUsd, storedServiceTier, USAGE_MISSING } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { fromJson } from '../db/dialect.js';
import type { EventRow } from '../db/schema.js';
import { rawEventsCoverage, readRawEventsSince } from '../retention/raw-events-since.js';

export interface EventFilters {
  from?: number;
  to?: number;
  provider?: string;
  model?: string;
  feature?: string;
  user_id?: string;
  session_id?: string;
  status?: string;
  source?: string;
}

/** Bounds given together must make a range. */
export function checkEventRange(f: EventFilters): void {
  if (f.from !== undefined && f.to !== undefined && f.from >= f.to) throw new AppError('bad_request', 'from must be before to');
}

/** Events of the actor's project matching the filters, any order; callers add order and limits. */
export function eventsQuery(ctx: TenantContext, f: EventFilters) {
  return ctx.db.kysely
    .selectFrom('events')
    .selectAll()
    .where('project_id', '=', ctx.actor.projectId)
    .$if(f.from !== undefined, (q) => q.where('ts', '>=', f.from as number))
    .$if(f.to !== undefined, (q) => q.where('ts', '<', f.to as number))
    .$if(f.provider !== undefined, (q) => q.where('provider', '=', f.provider as string))
    .$if(f.model !== undefined, (q) => q.where('model', '=', f.model as string))
    .$if(f.feature !== undefined, (q) => (f.feature === '(none)' ? q.where('feature', 'is', null) : q.where('feature', '=', f.feature as string)))
    .$if(f.user_id !== undefined, (q) => q.where('end_user', '=', f.user_id as string))
    .$if(f.session_id !== undefined, (q) => q.where('session_id', '=', f.session_id as string))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as string))
    .$if(f.source !== undefined, (q) => q.where('source', '=', f.source as string));
}

/** Newest first, `limit` at a time; `next_cursor` continues where this page ended. */
export async function listEvents({ ctx, input }: { ctx: TenantContext; input: EventFilters & { limit: number; cursor?: string } }) {
  checkEventRange(input);
  let q = eventsQuery(ctx, input);
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    // A row comparison is one range of the (project, ts, id) index; spelled as `ts < t or (ts = t and id < i)` it
    // was a filter on the rows from the newest down, and PostgreSQL's estimate of it grew with the table.
    q = q.where((eb) => eb(eb.refTuple('ts', 'id'), '<', eb.tuple(c.time, c.id)));
  }
  const [rows, since] = await Promise.all([q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute(), rawEventsCoverage(ctx, input.from)]);
  const page = rows.slice(0, input.limit);
  return {
    events: page.map(presentEvent),
    next_cursor: rows.length > input.limit ? encodeCursor(page[page.length - 1].ts, page[page.length - 1].id) : null,
    raw_events_since: since,
  };
}

export async function getEvent({ ctx, eventId }: { ctx: TenantContext; eventId: string }) {
  const row = await eventsQuery(ctx, {}).where('event_id', '=', eventId).executeTakeFirst();
  if (!row) {
    const since = await readRawEventsSince(ctx);
    const removed = since === null ? '' : ` (retention removed the project's raw events before ${new Date(since).toISOString()})`;
    throw new AppError('not_found', `event ${eventId} not found${removed}`);
  }
  return presentEvent(row);
}

/** The columns an event answer shows, and `id` for the cursor: what the export reads (the project and the receive time are never shown). */
export const PRESENTED_COLUMNS = [
  'id', 'event_id', 'ts', 'provider', 'model', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens',
  'cost_nanos', 'price_source', 'cache_hit', 'saved_nanos', 'latency_ms', 'status', 'error_type', 'feature', 'end_user', 'environment', 'source',
  'api_key_id', 'request_hash', 'tags', 'metadata', 'session_id', 'service_tier',
] as const satisfies readonly (keyof EventRow)[];

export function presentEvent(r: Pick<EventRow, (typeof PRESENTED_COLUMNS)[number]>): EventAnswer {
  return {
    event_id: r.event_id,
    ts: r.ts,
    timestamp: new Date(r.ts).toISOString(),
    provider: r.provider,
    model: r.model,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cached_input_tokens: r.cached_input_tokens,
    cache_write_tokens: r.cache_write_tokens,
    reasoning_tokens: r.reasoning_tokens,
    cost: r.cost_nanos === null ? null : nanosToUsd(r.cost_nanos),
    cost_nanos: r.cost_nanos,
    priced: r.cost_nanos !== null,
    price_source: r.price_source,
    usage_missing: r.price_source === USAGE_MISSING,
    service_tier: storedServiceTier(r.service_tier),
    cache_hit: r.cache_hit === 1,
    saved: r.saved_nanos === null ? null : nanosToUsd(r.saved_nanos),
    saved_nanos: r.saved_nanos,
    latency_ms: r.latency_ms,
    status: r.status as EventAnswer['status'],
    error_type: r.error_type,
    feature: r.feature,
    user_id: r.end_user,
    session_id: r.session_id,
    environment: r.environment,
    source: r.source as EventAnswer['source'],
    api_key_id: r.api_key_id,
    request_hash: r.request_hash,
    tags: fromJson<NonNullable<EventAnswer['tags']>>(r.tags),
    metadata: fromJson<Record<string, unknown>>(r.metadata),
  };
}
