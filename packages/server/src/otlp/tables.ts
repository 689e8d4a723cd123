/** One span an OTLP event was made from (migration 004). */
export interface OtlpCallSpansTable {
  project_id: string;
  trace_id: string;
  span_id: string;
  /** Empty for a root span. */
  parent_span_id: string;
  response_id: string | null;
  provider: string;
  /** Request and response model names, lower-cased, one per line. */
  models: string;
  /** The event the span was counted in. */
  event_id: string;
  /** How many usage counts the span reported (-1: none). */
  reported: number;
  ts: number;
}

declare module '../db/schema.js' {
  interface Database {
    otlp_call_spans: OtlpCallSpansTable;
  }
}
