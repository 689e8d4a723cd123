import { storedServiceTier } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { fromJson } from '../db/dialect.js';
import type { EventRow } from '../db/schema.js';
import { rawEventsCoverage } from '../retention/raw-events-since.js';
import { checkEventRange, type EventFilters, eventsQuery, PRESENTED_COLUMNS, presentEvent } from './list-events.js';

const PAGE = 2000;

export const CSV_COLUMNS = [
  'event_id', 'timestamp', 'provider', 'model', 'input_tokens', 'output_tokens', 'cached_input_tokens',
  'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'priced', 'latency_ms', 'status', 'feature',
  'user_id', 'environment', 'source', 'tags', 'metadata', 'cache_hit', 'saved_usd', 'session_id', 'service_tier',
] as const;

export type ExportFormat = 'csv' | 'json';

/** An export file: what to call it and its text, a chunk at a time. */
export interface EventExport {
  contentType: string;
  filename: string;
  /** Set when retention removed raw events the range asks for: the file holds those after this instant. */
  rawEventsSince: string | null;
  chunks: AsyncIterable<string>;
}

/**
 * The matching events, oldest first, as a CSV file or a JSON array. The filters are checked at
 * once, before any answer starts; the events are read as the chunks are taken.
 */
export async function exportEvents({ ctx, input }: { ctx: TenantContext; input: EventFilters & { format: ExportFormat } }): Promise<EventExport> {
  checkEventRange(input);
  const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
  return {
    contentType: input.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    filename: `llmlab-events-${stamp}.${input.format}`,
    rawEventsSince: await rawEventsCoverage(ctx, input.from),
    chunks: input.format === 'csv' ? csvChunks(ctx, input) : jsonChunks(ctx, input),
  };
}

async function* csvChunks(ctx: TenantContext, filters: EventFilters): AsyncGenerator<string> {
  yield csvHeader();
  for await (const page of matchingPages(ctx, filters, CSV_READ_COLUMNS)) yield page.map(csvRow).join('');
}

async function* jsonChunks(ctx: TenantContext, filters: EventFilters): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const page of matchingPages(ctx, filters, PRESENTED_COLUMNS)) {
    yield page.map((r) => {
      const line = `${first ? '' : ','}\n${JSON.stringify(presentEvent(r))}`;
      first = false;
      return line;
    }).join('');
  }
  yield '\n]\n';
}

/**
 * Every matching event's `columns`, oldest first, a page at a time (keyset), so memory stays
 * flat: each page is written as one chunk, since a write per row cost more than formatting the
 * row. The next page is asked for before this one is handed out, so the database reads it
 * meanwhile.
 */
async function* matchingPages<C extends keyof EventRow>(ctx: TenantContext, filters: EventFilters, columns: readonly C[]): AsyncGenerator<Pick<EventRow, C | 'id' | 'ts'>[]> {
  const read = (after: { ts: number; id: string } | null): Promise<Pick<EventRow, C | 'id' | 'ts'>[]> => {
    let q = eventsQuery(ctx, filters).clearSelect().select([...columns, 'id', 'ts'] as (keyof EventRow)[]);
    // One range of the (project, ts, id) index, as the events list's cursor (see listEvents).
    if (after) q = q.where((eb) => eb(eb.refTuple('ts', 'id'), '>', eb.tuple(after.ts, after.id)));
    const page = q.orderBy('ts').orderBy('id').limit(PAGE).execute();
    // Awaited below, unless the client went away first: then nobody awaits it, and its failure must not crash the process.
    page.catch(() => {});
    return page;
  };
  let next = read(null);
  for (;;) {
    const rows = await next;
    const last = rows[rows.length - 1];
    if (rows.length === PAGE) next = read({ ts: last.ts, id: last.id });
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
  }
}

const NEEDS_QUOTES = /[",\r\n]/;
/** A leading = + - @ makes spreadsheets evaluate the cell (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers and booleans as they are, text prefixed with a quote when a spreadsheet would run it, JSON for objects. */
function csvCell(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return csvText(FORMULA_START.test(value) ? `'${value}` : value);
    case 'object':
      return value === null ? '' : csvText(JSON.stringify(value));
    default:
      return '';
  }
}

function csvText(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** Nanodollars as a USD cell: exact to the nanodollar, no trailing zeros; empty for null. */
function usdCell(nanos: number | null): string {
  return nanos === null ? '' : (nanos / 1e9).toFixed(9).replace(/\.?0+$/, '');
}

/**
 * The columns a CSV row is made from: fewer than an event answer needs (no key, hash, price
 * source or error type), since reading and parsing the columns is most of the export's time.
 */
const CSV_READ_COLUMNS = [
  'event_id', 'ts', 'provider', 'model', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens',
  'cost_nanos', 'latency_ms', 'status', 'feature', 'end_user', 'environment', 'source', 'tags', 'metadata', 'cache_hit', 'saved_nanos',
  'session_id', 'service_tier',
] as const satisfies readonly (keyof EventRow)[];
type CsvSource = Pick<EventRow, (typeof CSV_READ_COLUMNS)[number]>;

/** Each column's cell of an event row, as the event answer (presentEvent) shows it: keyed by column, so no order can put a value under the wrong header. */
const CSV_FIELDS: { [C in (typeof CSV_COLUMNS)[number]]: (r: CsvSource) => unknown } = {
  event_id: (r) => r.event_id, timestamp: (r) => new Date(r.ts).toISOString(), provider: (r) => r.provider, model: (r) => r.model,
  input_tokens: (r) => r.input_tokens, output_tokens: (r) => r.output_tokens, cached_input_tokens: (r) => r.cached_input_tokens,
  cache_write_tokens: (r) => r.cache_write_tokens, reasoning_tokens: (r) => r.reasoning_tokens, cost_usd: (r) => usdCell(r.cost_nanos),
  priced: (r) => r.cost_nanos !== null, latency_ms: (r) => r.latency_ms, status: (r) => r.status, feature: (r) => r.feature, user_id: (r) => r.end_user,
  environment: (r) => r.environment, source: (r) => r.source, tags: (r) => fromJson(r.tags), metadata: (r) => fromJson(r.metadata),
  cache_hit: (r) => r.cache_hit === 1, saved_usd: (r) => usdCell(r.saved_nanos), session_id: (r) => r.session_id,
  service_tier: (r) => storedServiceTier(r.service_tier),
};
const CSV_CELLS = CSV_COLUMNS.map((c) => CSV_FIELDS[c]);

function csvRow(e: CsvSource): string {
  let line = csvCell(CSV_CELLS[0](e));
  for (let i = 1; i < CSV_CELLS.length; i++) line += `,${csvCell(CSV_CELLS[i](e))}`;
  return `${line}\r\n`;
}
