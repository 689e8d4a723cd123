import type { SpanCall } from './spans-to-events.js';

/** Appends `item` to the list under `key`, creating it. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** What two spans must share to describe one call: the provider and a model name. */
export interface CallIdentity {
  provider: string;
  models: readonly string[];
}

export function sameModel(a: CallIdentity, b: CallIdentity): boolean {
  return a.provider === b.provider && a.models.some((m) => b.models.includes(m));
}

/** A group of spans that describe one LLM call, and the span whose usage prices it. */
export interface CallGroup {
  spans: SpanCall[];
  best: SpanCall;
}

/**
 * The calls of one export, each once. Two spans describe one call when one is the other's parent
 * and they name the same provider and model (an instrumentation wrapping an SDK that traces
 * itself), or when they carry the same gen_ai.response.id. A span with two or more such children
 * wraps several calls (an agent loop under one span) and is not a call itself. The usage of a
 * group is the most complete one among its spans: the most counts reported, then the innermost.
 */
export function collapseCalls(calls: readonly SpanCall[]): CallGroup[] {
  const byId = new Map(calls.map((c) => [c.spanId, c]));
  const children = new Map<string, SpanCall[]>();
  for (const c of calls) {
    const parent = byId.get(c.parentSpanId);
    if (parent && sameModel(parent, c)) pushTo(children, parent.spanId, c);
  }
  const wrappers = new Set([...children].filter(([, kids]) => kids.length > 1).map(([id]) => id));
  const kept = calls.filter((c) => !wrappers.has(c.spanId));
  const root = new Map<string, string>(kept.map((c) => [c.spanId, c.spanId]));
  const find = (id: string): string => {
    let r = id;
    while (root.get(r) !== r) r = root.get(r) as string;
    root.set(id, r);
    return r;
  };
  const join = (a: string, b: string) => root.set(find(a), find(b));
  const byResponse = new Map<string, SpanCall>();
  for (const c of kept) {
    const parent = byId.get(c.parentSpanId);
    if (parent && !wrappers.has(parent.spanId) && sameModel(parent, c)) join(c.spanId, parent.spanId);
    if (c.responseId) {
      const key = `${c.provider}\u0000${c.responseId}`;
      const other = byResponse.get(key);
      if (other) join(c.spanId, other.spanId);
      else byResponse.set(key, c);
    }
  }
  const groups = new Map<string, SpanCall[]>();
  for (const c of kept) pushTo(groups, find(c.spanId), c);
  return [...groups.values()].map((spans) => ({ spans, best: withServiceTier(mostComplete(spans), spans) }));
}

/** The group's tier: the best span's, else the first any span of it names (an SDK span may name it where the wrapper does not). */
function withServiceTier(best: SpanCall, spans: SpanCall[]): SpanCall {
  if (best.event.service_tier) return best;
  const tier = spans.find((s) => s.event.service_tier)?.event.service_tier;
  return tier ? { ...best, event: { ...best.event, service_tier: tier } } : best;
}

/** The span with the most usage counts; on a tie the one deepest among the group (closest to the provider). */
function mostComplete(spans: SpanCall[]): SpanCall {
  const ids = new Set(spans.map((s) => s.spanId));
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const depth = (s: SpanCall): number => {
    let d = 0;
    for (let p = s.parentSpanId; ids.has(p) && d < spans.length; p = (byId.get(p) as SpanCall).parentSpanId) d++;
    return d;
  };
  return spans.reduce((best, s) => (s.reported > best.reported || (s.reported === best.reported && depth(s) > depth(best)) ? s : best));
}
