import type { TenantContext } from '../context.js';
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
  for await (const page of matchingPages(ctx, filters)) yield page.map((r) => csvRow(presentEvent(r))).join('');
}

async function* jsonChunks(ctx: TenantContext, filters: EventFilters): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const page of matchingPages(ctx, filters)) {
    yield page.map((r) => {
      const line = `${first ? '' : ','}\n${JSON.stringify(presentEvent(r))}`;
      first = false;
      return line;
    }).join('');
  }
  yield '\n]\n';
}

/**
 * Every matching event's row, oldest first, a page at a time (keyset), so memory stays flat:
 * each page is written as one chunk, since a write per row cost more than formatting the row
 * (each row is presented as it is formatted, so the presented copy dies young). The next page is
 * asked for before this one is handed out, so the database reads it meanwhile.
 */
async function* matchingPages(ctx: TenantContext, filters: EventFilters) {
  const read = (after: { ts: number; id: string } | null) => {
    let q = eventsQuery(ctx, filters).clearSelect().select(PRESENTED_COLUMNS);
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

type Presented = ReturnType<typeof presentEvent>;

/** Each column's cell of an event: keyed by column, so no order can put a value under the wrong header. */
const CSV_FIELDS: { [C in (typeof CSV_COLUMNS)[number]]: (e: Presented) => unknown } = {
  event_id: (e) => e.event_id, timestamp: (e) => e.timestamp, provider: (e) => e.provider, model: (e) => e.model,
  input_tokens: (e) => e.input_tokens, output_tokens: (e) => e.output_tokens, cached_input_tokens: (e) => e.cached_input_tokens,
  cache_write_tokens: (e) => e.cache_write_tokens, reasoning_tokens: (e) => e.reasoning_tokens, cost_usd: (e) => usdCell(e.cost_nanos),
  priced: (e) => e.priced, latency_ms: (e) => e.latency_ms, status: (e) => e.status, feature: (e) => e.feature, user_id: (e) => e.user_id,
  environment: (e) => e.environment, source: (e) => e.source, tags: (e) => e.tags, metadata: (e) => e.metadata,
  cache_hit: (e) => e.cache_hit, saved_usd: (e) => usdCell(e.saved_nanos),
  session_id: (e) => e.session_id,
  service_tier: (e) => e.service_tier,
};
const CSV_CELLS = CSV_COLUMNS.map((c) => CSV_FIELDS[c]);

function csvRow(e: Presented): string {
  let line = csvCell(CSV_CELLS[0](e));
  for (let i = 1; i < CSV_CELLS.length; i++) line += `,${csvCell(CSV_CELLS[i](e))}`;
  return `${line}\r\n`;
}
