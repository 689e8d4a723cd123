import type { OpenAPIHono } from '@hono/zod-openapi';
import { BatchAnswer, BatchInput, EventAnswer, EventExportAnswer, EventPageAnswer, fastBatch, fastTrackEvent, TrackAnswer, TrackEventInput } from '@llmlab/core';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute, streamedAnswer } from '../http/define-route.js';
import { TimeParam } from '../http/query-params.js';
import { apiJson } from '../http/security-headers.js';
import { CSV_COLUMNS, exportEvents } from './export-events.js';
import { getEvent, listEvents } from './list-events.js';
import { recordBatch } from './record-batch.js';
import { type EventSource, recordEvents } from './record-events.js';

const label = z.string().min(1).max(200);

/** The filters GET /api/events and GET /api/export share. */
const EventFilterQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  provider: label.optional(),
  model: label.optional(),
  feature: label.optional(),
  user_id: label.optional(),
  session_id: label.optional(),
  status: z.enum(['success', 'error']).optional(),
  source: z.enum(['api', 'sdk', 'proxy', 'otlp']).optional(),
});

/** The export's header saying where retention cut the raw events it could hold (see exportEvents). */
export const RAW_EVENTS_SINCE_HEADER = 'x-llmlab-raw-events-since';

const sourceOf = (header: string | undefined): EventSource => (header === 'sdk' ? 'sdk' : 'api');
const BUSY = { 503: 'Too many ingest requests at once: retry after the Retry-After header (the SDK does)' };

export function registerEventRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'post', path: '/api/events/track', tag: 'events', summary: 'Record one LLM call; returns its cost', auth: 'ingest', role: 'member', body: TrackEventInput, fastBody: fastTrackEvent,
    response: TrackAnswer, status: [201, 200], errors: BUSY,
    description:
      '`input_tokens` includes cached reads and cache writes; `output_tokens` includes reasoning. `metadata.feature` is used as `feature` when `feature` is absent. ' +
      '`provider` must be a known provider or alias (docs/pricing.md); an unknown model of a known provider is stored unpriced (`cost: null, priced: false`). ' +
      'Re-sending an `event_id` stores nothing and answers 200 with `duplicate: true` and the stored cost. Header `x-llmlab-source: sdk|api` marks the capture path (default api).',
  }, async ({ c, ctx, body }) => {
    const [r] = await recordEvents({ ctx, input: { events: [body], source: sourceOf(c.req.header('x-llmlab-source')) } });
    return apiJson({ success: true as const, ...r }, r.duplicate ? 200 : 201);
  });
  defineRoute(app, ctx, {
    method: 'post', path: '/api/events/batch', tag: 'events', summary: 'Record up to 1,000 calls at once, idempotent by event_id', auth: 'ingest', role: 'member', body: BatchInput, fastBody: fastBatch,
    response: BatchAnswer, errors: BUSY,
    description: 'Validated as a whole: one bad event rejects the batch with per-index details (`events.3.input_tokens`) and nothing is stored.',
  }, async ({ c, ctx, body }) => apiJson(await recordBatch({ ctx, input: { events: body.events, source: sourceOf(c.req.header('x-llmlab-source')) } }), 200));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/events', tag: 'events', summary: 'List events, newest first, with filters and cursor pagination', auth: 'read', role: 'viewer',
    query: EventFilterQuery.extend({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().max(200).optional() }), response: EventPageAnswer,
  }, ({ ctx, query }) => listEvents({ ctx, input: query }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/events/{event_id}', tag: 'events', summary: 'One event by its event_id', auth: 'read', role: 'viewer', params: z.object({ event_id: z.string().min(1).max(128) }),
    response: EventAnswer, errors: { 404: 'No event with this event_id in the project' },
  }, ({ ctx, params }) => getEvent({ ctx, eventId: params.event_id }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/export', tag: 'events', summary: 'Stream every matching event as CSV or JSON, oldest first', auth: 'read', role: 'viewer',
    query: EventFilterQuery.extend({ format: z.enum(['csv', 'json']).default('csv') }), response: EventExportAnswer, csv: true,
    description:
      `CSV (the default) has the columns \`${CSV_COLUMNS.join(',')}\`; format=json answers an array of events. ` +
      `When the project's retention removed raw events the range asks for, the header \`${RAW_EVENTS_SINCE_HEADER}\` gives the instant the file starts at (totals of the whole history: GET /api/costs/breakdown).`,
  }, async ({ c, ctx, query }) => {
    const file = await exportEvents({ ctx, input: query });
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', `attachment; filename="${file.filename}"`);
    if (file.rawEventsSince) c.header(RAW_EVENTS_SINCE_HEADER, file.rawEventsSince);
    return streamedAnswer<EventExportAnswer>(
      stream(c, async (s) => {
        for await (const chunk of file.chunks) await s.write(chunk);
      }),
    );
  });
}
