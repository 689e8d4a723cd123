import type { OpenAPIHono } from '@hono/zod-openapi';
import { BatchInput, fastBatch, fastTrackEvent, TrackEventInput } from '@llmlab/core';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { csvHeader, csvRow, exportEvents } from '../events/export-events.js';
import { getEvent, listEvents } from '../events/list-events.js';
import { type EventSource, recordEvents } from '../events/record-events.js';
import { defineRoute } from '../http/define-route.js';
import { apiJson } from '../http/security-headers.js';
import { EventFilterQuery, toEventFilters } from './queries.js';

const sourceOf = (header: string | undefined): EventSource => (header === 'sdk' ? 'sdk' : 'api');

export function registerEventRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'post', path: '/api/events/track', tag: 'events', summary: 'Record one LLM call; returns its cost', auth: 'ingest', body: TrackEventInput, fastBody: fastTrackEvent, status: 201 }, async ({ c, ctx, body }) => {
    const [r] = await recordEvents({ ctx, input: { events: [body], source: sourceOf(c.req.header('x-llmlab-source')) } });
    return apiJson({ success: true, ...r }, r.duplicate ? 200 : 201);
  });
  defineRoute(app, ctx, { method: 'post', path: '/api/events/batch', tag: 'events', summary: 'Record up to 1,000 calls at once, idempotent by event_id', auth: 'ingest', body: BatchInput, fastBody: fastBatch }, async ({ c, ctx, body }) => {
    const events = await recordEvents({ ctx, input: { events: body.events, source: sourceOf(c.req.header('x-llmlab-source')) } });
    const duplicates = events.filter((e) => e.duplicate).length;
    return apiJson({ success: true, accepted: events.length - duplicates, duplicates, events }, 200);
  });
  defineRoute(app, ctx, { method: 'get', path: '/api/events', tag: 'events', summary: 'List events, newest first, with filters and cursor pagination', auth: 'read', query: EventFilterQuery.extend({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().max(200).optional() }) }, ({ ctx, query }) =>
    listEvents({ ctx, input: { ...toEventFilters(query), limit: query.limit, cursor: query.cursor } }),
  );
  defineRoute(app, ctx, { method: 'get', path: '/api/events/{event_id}', tag: 'events', summary: 'One event by its event_id', auth: 'read', params: z.object({ event_id: z.string().min(1).max(128) }) }, ({ ctx, params }) =>
    getEvent({ ctx, eventId: params.event_id }),
  );
  defineRoute(app, ctx, { method: 'get', path: '/api/export', tag: 'events', summary: 'Stream every matching event as CSV or JSON, oldest first', auth: 'read', produces: 'text/csv', query: EventFilterQuery.extend({ format: z.enum(['csv', 'json']).default('csv') }) }, async ({ c, ctx, query }) => {
    const filters = toEventFilters(query);
    const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
    c.header('Content-Type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="llmlab-events-${stamp}.${query.format}"`);
    return stream(c, async (s) => {
      if (query.format === 'csv') {
        await s.write(csvHeader());
        for await (const e of exportEvents(ctx, filters)) await s.write(csvRow(e));
        return;
      }
      await s.write('[');
      let first = true;
      for await (const e of exportEvents(ctx, filters)) {
        await s.write(`${first ? '' : ','}\n${JSON.stringify(e)}`);
        first = false;
      }
      await s.write('\n]\n');
    });
  });
}
