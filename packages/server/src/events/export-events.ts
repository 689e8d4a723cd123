import type { TenantContext } from '../context.js';
import { checkEventRange, type EventFilters, eventsQuery, presentEvent } from './list-events.js';

const PAGE = 2000;

export const CSV_COLUMNS = [
  'event_id', 'timestamp', 'provider', 'model', 'input_tokens', 'output_tokens', 'cached_input_tokens',
  'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'priced', 'latency_ms', 'status', 'feature',
  'user_id', 'environment', 'source', 'tags', 'metadata', 'cache_hit', 'saved_usd',
] as const;

export type ExportFormat = 'csv' | 'json';

/** An export file: what to call it and its text, a chunk at a time. */
export interface EventExport {
  contentType: string;
  filename: string;
  chunks: AsyncIterable<string>;
}

/**
 * The matching events, oldest first, as a CSV file or a JSON array. The filters are checked at
 * once, before any answer starts; the events are read as the chunks are taken.
 */
export function exportEvents({ ctx, input }: { ctx: TenantContext; input: EventFilters & { format: ExportFormat } }): EventExport {
  checkEventRange(input);
  const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
  return {
    contentType: input.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    filename: `llmlab-events-${stamp}.${input.format}`,
    chunks: input.format === 'csv' ? csvChunks(ctx, input) : jsonChunks(ctx, input),
  };
}

async function* csvChunks(ctx: TenantContext, filters: EventFilters): AsyncGenerator<string> {
  yield csvHeader();
  for await (const e of matchingEvents(ctx, filters)) yield csvRow(e);
}

async function* jsonChunks(ctx: TenantContext, filters: EventFilters): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const e of matchingEvents(ctx, filters)) {
    yield `${first ? '' : ','}\n${JSON.stringify(e)}`;
    first = false;
  }
  yield '\n]\n';
}

/** Every matching event, oldest first, read a page at a time (keyset) so memory stays flat. */
async function* matchingEvents(ctx: TenantContext, filters: EventFilters): AsyncGenerator<ReturnType<typeof presentEvent>> {
  let after: { ts: number; id: string } | null = null;
  for (;;) {
    let q = eventsQuery(ctx, filters);
    if (after) {
      const a = after;
      q = q.where((eb) => eb.or([eb('ts', '>', a.ts), eb.and([eb('ts', '=', a.ts), eb('id', '>', a.id)])]));
    }
    const rows = await q.orderBy('ts').orderBy('id').limit(PAGE).execute();
    for (const r of rows) yield presentEvent(r);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = { ts: last.ts, id: last.id };
  }
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading = + - @ makes spreadsheets evaluate the cell: prefix a quote (OWASP CSV injection).
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** Nanodollars as a USD cell: exact to the nanodollar, no trailing zeros; empty for null. */
function usdCell(nanos: number | null): string {
  return nanos === null ? '' : (nanos / 1e9).toFixed(9).replace(/\.?0+$/, '');
}

function csvRow(e: ReturnType<typeof presentEvent>): string {
  const cost = usdCell(e.cost_nanos);
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    event_id: e.event_id, timestamp: e.timestamp, provider: e.provider, model: e.model,
    input_tokens: e.input_tokens, output_tokens: e.output_tokens, cached_input_tokens: e.cached_input_tokens,
    cache_write_tokens: e.cache_write_tokens, reasoning_tokens: e.reasoning_tokens, cost_usd: cost,
    priced: e.priced, latency_ms: e.latency_ms, status: e.status, feature: e.feature, user_id: e.user_id,
    environment: e.environment, source: e.source, tags: e.tags, metadata: e.metadata,
    cache_hit: e.cache_hit, saved_usd: usdCell(e.saved_nanos),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(values[c])).join(',')}\r\n`;
}
