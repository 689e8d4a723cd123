import type { TenantContext } from '../context.js';
import { recordEvents } from '../events/record-events.js';
import { replaceEventUsage } from '../events/replace-event-usage.js';
import { type CallGroup, collapseCalls, pushTo, sameModel } from './collapse-calls.js';
import type { SpanCall } from './spans-to-events.js';
import './tables.js';

type StoredSpan = { span_id: string; parent_span_id: string; response_id: string | null; provider: string; models: string[]; event_id: string; reported: number };

export interface SpanCallsReport {
  /** New events. */
  recorded: number;
  /** Groups that joined an event stored by an earlier export (its usage replaced when theirs was more complete). */
  joined: number;
}

/**
 * Records the calls of one export, each once, whatever else describes it. Spans of one call in
 * this export collapse first (`collapseCalls`); a group then joins the event of a span stored by
 * an earlier export when one is its parent or child of the same model, carries its response id,
 * or is one of its own spans sent again (an exporter's retry). A group linked to two or more
 * stored events wraps several calls and counts for none.
 */
export async function recordSpanCalls(ctx: TenantContext, calls: readonly SpanCall[]): Promise<SpanCallsReport> {
  const report: SpanCallsReport = { recorded: 0, joined: 0 };
  if (!calls.length) return report;
  const stored = await storedSpans(ctx, [...new Set(calls.map((c) => c.traceId))]);
  const fresh: CallGroup[] = [];
  for (const group of collapseCalls(calls)) {
    const trace = stored.get(group.best.traceId) ?? [];
    if (group.spans.every((s) => trace.some((t) => t.span_id === s.spanId))) continue;
    const linked = linkedEvents(group, trace);
    if (linked.size > 1) continue;
    if (linked.size === 0) {
      fresh.push(group);
      continue;
    }
    const [eventId] = linked;
    const before = Math.max(...trace.filter((t) => t.event_id === eventId).map((t) => t.reported));
    const { best } = group;
    if (best.reported > before) {
      const e = best.event;
      const usage = { input_tokens: e.input_tokens, output_tokens: e.output_tokens, cached_input_tokens: e.cached_input_tokens ?? 0, cache_write_tokens: e.cache_write_tokens ?? 0, reasoning_tokens: e.reasoning_tokens ?? 0 };
      await replaceEventUsage({ ctx, input: { eventId, model: e.model, usage, usageMissing: e.usage_missing === true, serviceTier: e.service_tier } });
    }
    await saveSpans(ctx, group.spans, eventId);
    report.joined++;
  }
  for (let i = 0; i < fresh.length; i += 1000) {
    const slice = fresh.slice(i, i + 1000);
    await recordEvents({ ctx, input: { events: slice.map((g) => g.best.event), source: 'otlp' } });
    for (const g of slice) await saveSpans(ctx, g.spans, g.best.event.event_id as string);
    report.recorded += slice.length;
  }
  return report;
}

/** The stored events a group belongs to. A stored parent that already holds one child of its model wraps several calls: nothing joins it. */
function linkedEvents(group: CallGroup, trace: StoredSpan[]): Set<string> {
  const linked = new Set<string>();
  const ids = new Set(group.spans.map((s) => s.spanId));
  for (const s of group.spans) {
    for (const t of trace) {
      if (t.span_id === s.spanId) linked.add(t.event_id);
      else if (t.span_id === s.parentSpanId && sameModel(t, s) && !holdsChild(t, trace, ids)) linked.add(t.event_id);
      else if (t.parent_span_id === s.spanId && sameModel(t, s)) linked.add(t.event_id);
      else if (s.responseId && t.response_id === s.responseId && t.provider === s.provider) linked.add(t.event_id);
    }
  }
  return linked;
}

function holdsChild(parent: StoredSpan, trace: StoredSpan[], except: Set<string>): boolean {
  return trace.some((t) => t.parent_span_id === parent.span_id && t.event_id === parent.event_id && !except.has(t.span_id) && sameModel(t, parent));
}

async function storedSpans(ctx: TenantContext, traceIds: string[]): Promise<Map<string, StoredSpan[]>> {
  const byTrace = new Map<string, StoredSpan[]>();
  for (let i = 0; i < traceIds.length; i += 500) {
    const rows = await ctx.db.kysely
      .selectFrom('otlp_call_spans')
      .select(['trace_id', 'span_id', 'parent_span_id', 'response_id', 'provider', 'models', 'event_id', 'reported'])
      .where('project_id', '=', ctx.actor.projectId)
      .where('trace_id', 'in', traceIds.slice(i, i + 500))
      .execute();
    for (const r of rows) pushTo(byTrace, r.trace_id, { ...r, models: r.models.split('\n'), reported: Number(r.reported) });
  }
  return byTrace;
}

async function saveSpans(ctx: TenantContext, spans: SpanCall[], eventId: string): Promise<void> {
  const rows = spans.map((s) => ({
    project_id: ctx.actor.projectId,
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId,
    response_id: s.responseId ?? null,
    provider: s.provider,
    models: s.models.join('\n'),
    event_id: eventId,
    reported: s.reported,
    ts: typeof s.event.timestamp === 'number' ? s.event.timestamp : ctx.now(),
  }));
  await ctx.db.kysely.insertInto('otlp_call_spans').values(rows).onConflict((oc) => oc.columns(['project_id', 'trace_id', 'span_id']).doNothing()).execute();
}
