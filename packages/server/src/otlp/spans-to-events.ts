import { canonicalProvider, MAX_FUTURE_SKEW_MS, MIN_EVENT_TS, TrackEventInput } from '@llmlab/core';
import { AttributionError, parseTags } from '../proxy/attribution.js';
import type { AttrValue, OtlpSpan } from './decode-traces.js';

/**
 * Span attributes read for each field, first match wins: the OpenTelemetry GenAI semantic
 * conventions (current and older names), then the spellings OpenLLMetry and OpenLIT emit.
 */
const KEYS = {
  provider: ['gen_ai.provider.name', 'gen_ai.system'],
  model: ['gen_ai.response.model', 'gen_ai.request.model'],
  input: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.usage.prompt_tokens'],
  output: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.usage.completion_tokens'],
  cacheRead: ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'gen_ai.usage.input_tokens.cached', 'gen_ai.usage.cached_tokens'],
  cacheWrite: ['gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens', 'gen_ai.usage.cache_write_input_tokens'],
  reasoning: ['gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens', 'gen_ai.usage.output_tokens.reasoning', 'gen_ai.usage.completion_tokens.reasoning'],
  feature: ['llmlab.feature', 'app.feature'],
  user: ['llmlab.user', 'enduser.id', 'user.id'],
  environment: ['llmlab.environment', 'deployment.environment.name', 'deployment.environment'],
} as const;

/** gen_ai.provider.name / gen_ai.system values that are not LLMLab provider names already. */
const PROVIDER_NAMES: Record<string, string> = {
  'aws.bedrock': 'aws',
  'az.ai.openai': 'azure',
  'azure.ai.openai': 'azure',
  'az.ai.inference': 'azure',
  'azure.ai.inference': 'azure',
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  vertex_ai: 'google',
  mistral_ai: 'mistral',
  x_ai: 'x-ai',
};

/** Operations whose spans wrap model calls (agents) or are not model calls (tools): counting them would double-count. */
const NOT_A_CALL = new Set(['execute_tool', 'invoke_agent', 'create_agent']);

export type SpanVerdict = { kind: 'event'; event: TrackEventInput } | { kind: 'ignored' } | { kind: 'rejected'; reason: string };

function pick(attrs: Record<string, AttrValue>, keys: readonly string[]): AttrValue | undefined {
  for (const k of keys) if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== '') return attrs[k];
  return undefined;
}

function count(attrs: Record<string, AttrValue>, keys: readonly string[]): number | undefined {
  const v = pick(attrs, keys);
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
}

function text(attrs: Record<string, AttrValue>, keys: readonly string[], max: number): string | undefined {
  const v = pick(attrs, keys);
  return typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, max) : undefined;
}

/** `llmlab.tag.<name>` attributes and an `llmlab.tags` string (JSON object or k=v,k=v). */
function tagsOf(attrs: Record<string, AttrValue>): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  const raw = attrs['llmlab.tags'];
  if (typeof raw === 'string') {
    try {
      Object.assign(tags, parseTags(raw));
    } catch (err) {
      if (!(err instanceof AttributionError)) throw err;
    }
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('llmlab.tag.') && v !== null && typeof v !== 'object') tags[k.slice('llmlab.tag.'.length).slice(0, 64)] = String(v).slice(0, 256);
  }
  const entries = Object.entries(tags).slice(0, 32);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/**
 * One span to one event, or why not. Token semantics follow the GenAI conventions (input
 * includes cached reads and writes, output includes reasoning); an instrumentation that reports
 * cache tokens beside input (Anthropic's own shape) is recognised when they exceed the input.
 */
export function spanToEvent(span: OtlpSpan, now: number): SpanVerdict {
  const a = span.attributes;
  if (!Object.keys(a).some((k) => k.startsWith('gen_ai.'))) return { kind: 'ignored' };
  const operation = text(a, ['gen_ai.operation.name'], 64);
  if (operation && NOT_A_CALL.has(operation)) return { kind: 'ignored' };
  let input = count(a, KEYS.input);
  let output = count(a, KEYS.output);
  if (input === undefined && output === undefined) return { kind: 'ignored' };
  const rawProvider = text(a, KEYS.provider, 64);
  const model = text(a, KEYS.model, 200);
  if (!rawProvider || !model) return { kind: 'rejected', reason: `span ${span.spanId}: gen_ai usage without ${rawProvider ? 'gen_ai.request.model' : 'gen_ai.provider.name or gen_ai.system'}` };
  const provider = canonicalProvider(PROVIDER_NAMES[rawProvider.toLowerCase()] ?? rawProvider);
  if (!provider) return { kind: 'rejected', reason: `span ${span.spanId}: unknown provider "${rawProvider}"` };
  const cacheRead = count(a, KEYS.cacheRead) ?? 0;
  const cacheWrite = count(a, KEYS.cacheWrite) ?? 0;
  const reasoning = count(a, KEYS.reasoning) ?? 0;
  input ??= 0;
  output ??= 0;
  if (cacheRead + cacheWrite > input) input += cacheRead + cacheWrite;
  if (reasoning > output) output += reasoning;
  const ts = span.endMs || span.startMs;
  if (ts < MIN_EVENT_TS || ts > now + MAX_FUTURE_SKEW_MS) return { kind: 'rejected', reason: `span ${span.spanId}: end time ${new Date(ts).toISOString()} is out of range` };
  const failed = span.statusCode === 2;
  const metadata: Record<string, unknown> = { trace_id: span.traceId, span_id: span.spanId, span_name: span.name };
  const service = text(a, ['service.name'], 200);
  if (service) metadata.service_name = service;
  if (operation) metadata.operation = operation;
  const candidate = {
    event_id: `otlp:${span.traceId}:${span.spanId}`.slice(0, 128),
    provider,
    model,
    input_tokens: input,
    output_tokens: output,
    cached_input_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    reasoning_tokens: reasoning,
    timestamp: ts,
    latency_ms: span.endMs && span.startMs ? Math.max(0, span.endMs - span.startMs) : undefined,
    status: failed ? 'error' : 'success',
    error_type: failed ? (text(a, ['error.type'], 200) ?? span.statusMessage?.slice(0, 200) ?? 'error') : undefined,
    feature: text(a, KEYS.feature, 128),
    user_id: text(a, KEYS.user, 256),
    environment: text(a, KEYS.environment, 64),
    tags: tagsOf(a),
    metadata,
  };
  const parsed = TrackEventInput.safeParse(candidate);
  if (!parsed.success) return { kind: 'rejected', reason: `span ${span.spanId}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}` };
  return { kind: 'event', event: parsed.data };
}
