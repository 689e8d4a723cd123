import { canonicalProvider, MAX_FUTURE_SKEW_MS, MIN_EVENT_TS, readSpanUsage, type ServiceTier, serviceTierFromAnswer, TrackEventInput } from '@llmlab/core';
import { AttributionError, parseTags } from '../proxy/attribution.js';
import type { AttrValue, OtlpSpan } from './decode-traces.js';

/** Span attributes read for each attribution field, first match wins. Usage is read by `readSpanUsage` in core. */
const KEYS = {
  provider: ['gen_ai.provider.name', 'gen_ai.system'],
  responseModel: ['gen_ai.response.model'],
  requestModel: ['gen_ai.request.model'],
  feature: ['llmlab.feature', 'app.feature'],
  user: ['llmlab.user', 'enduser.id', 'user.id'],
  environment: ['llmlab.environment', 'deployment.environment.name', 'deployment.environment'],
  // The GenAI conventions' conversation id; a span without one is in the session of its trace.
  session: ['llmlab.session', 'gen_ai.conversation.id', 'session.id'],
  // The tier that served the call (the answer's) before the one asked for, which may be `auto`.
  serviceTier: [
    'llmlab.service_tier',
    'gen_ai.openai.response.service_tier',
    'openai.response.service_tier',
    'gen_ai.response.service_tier',
    'gen_ai.usage.service_tier',
    'gen_ai.openai.request.service_tier',
    'openai.request.service_tier',
    'gen_ai.request.service_tier',
  ],
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

/** Operations that call a model: a span of one without usage is a call whose usage never arrived. */
const MODEL_CALLS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings', 'responses', 'completion']);

/** The Vercel AI SDK's spans: only the `do*` ones are calls to a model; the others wrap them (and sum their usage). */
const AI_SDK_CALL = /\.do(Generate|Stream|Embed)$/;

/** One span that describes an LLM call, with what is needed to find other spans of the same call. */
export interface SpanCall {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  /** gen_ai.response.id, when the span has one. */
  responseId?: string;
  provider: string;
  /** Request and response model names, lower-cased. */
  models: string[];
  /** How many usage counts the span reported: -1 when it reported none. The highest wins a collapse. */
  reported: number;
  event: TrackEventInput;
}

export type SpanVerdict = { kind: 'call'; call: SpanCall } | { kind: 'ignored' } | { kind: 'rejected'; reason: string };

function pick(attrs: Record<string, AttrValue>, keys: readonly string[]): AttrValue | undefined {
  for (const k of keys) if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== '') return attrs[k];
  return undefined;
}

function text(attrs: Record<string, AttrValue>, keys: readonly string[], max: number): string | undefined {
  const v = pick(attrs, keys);
  return typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, max) : undefined;
}

/** LLMLab's provider for a gen_ai.provider.name / gen_ai.system value (`openai.chat`, the AI SDK's, is OpenAI). */
function providerOf(raw: string): string | null {
  const name = raw.toLowerCase();
  return canonicalProvider(PROVIDER_NAMES[name] ?? name) ?? (name.includes('.') ? canonicalProvider(PROVIDER_NAMES[name.split('.')[0]] ?? name.split('.')[0]) : null);
}

/** The first service tier attribute that names a tier LLMLab knows (OpenAI's `default` is standard). */
function serviceTierOf(attrs: Record<string, AttrValue>): ServiceTier | undefined {
  for (const k of KEYS.serviceTier) {
    const tier = serviceTierFromAnswer(attrs[k]);
    if (tier) return tier;
  }
  return undefined;
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

/** Whether a span is an LLM call at all; a wrapper, a tool or an unrelated span is not. */
function isCall(span: OtlpSpan, operation: string | undefined, hasUsage: boolean): boolean {
  const a = span.attributes;
  if (!Object.keys(a).some((k) => k.startsWith('gen_ai.'))) return false;
  if (operation && NOT_A_CALL.has(operation)) return false;
  const aiSdkOperation = a['ai.operationId'];
  if (typeof aiSdkOperation === 'string') return AI_SDK_CALL.test(aiSdkOperation);
  return hasUsage || (operation !== undefined && MODEL_CALLS.has(operation));
}

/**
 * One span to the call it describes, or why not. Usage is read per instrumentation by
 * `readSpanUsage`. A model call whose usage never arrived (a stream span without usage, say) is
 * a call with `usage_missing`: stored unpriced, never as $0. A failed call without usage is an
 * error with no tokens: providers do not bill it.
 */
export function spanToCall(span: OtlpSpan, now: number): SpanVerdict {
  const a = span.attributes;
  const operation = text(a, ['gen_ai.operation.name'], 64);
  const rawProvider = text(a, KEYS.provider, 64);
  const provider = rawProvider ? providerOf(rawProvider) : null;
  const read = readSpanUsage(a, span.scope, provider ?? '');
  if (!isCall(span, operation, read !== null)) return { kind: 'ignored' };
  const requestModel = text(a, KEYS.requestModel, 200);
  const model = text(a, KEYS.responseModel, 200) ?? requestModel;
  if (!rawProvider || !model) return { kind: 'rejected', reason: `span ${span.spanId}: gen_ai call without ${rawProvider ? 'gen_ai.request.model' : 'gen_ai.provider.name or gen_ai.system'}` };
  if (!provider) return { kind: 'rejected', reason: `span ${span.spanId}: unknown provider "${rawProvider}"` };
  const ts = span.endMs || span.startMs;
  if (ts < MIN_EVENT_TS || ts > now + MAX_FUTURE_SKEW_MS) return { kind: 'rejected', reason: `span ${span.spanId}: end time ${new Date(ts).toISOString()} is out of range` };
  const failed = span.statusCode === 2;
  const metadata: Record<string, unknown> = { trace_id: span.traceId, span_id: span.spanId, span_name: span.name };
  if (span.scope) metadata.scope = span.scope.slice(0, 200);
  const service = text(a, ['service.name'], 200);
  if (service) metadata.service_name = service;
  if (operation) metadata.operation = operation;
  if (read) metadata.usage_convention = read.convention;
  if (read?.corrected) metadata.usage_corrected = read.corrected;
  const usage = read?.usage ?? { input_tokens: 0, output_tokens: 0 };
  const candidate = {
    event_id: `otlp:${span.traceId}:${span.spanId}`.slice(0, 128),
    provider,
    model,
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cached_input_tokens: usage.cached_input_tokens ?? 0,
    cache_write_tokens: usage.cache_write_tokens ?? 0,
    reasoning_tokens: usage.reasoning_tokens ?? 0,
    ...(read || failed ? {} : { usage_missing: true }),
    service_tier: serviceTierOf(a),
    timestamp: ts,
    latency_ms: span.endMs && span.startMs ? Math.max(0, span.endMs - span.startMs) : undefined,
    status: failed ? 'error' : 'success',
    error_type: failed ? (text(a, ['error.type'], 200) ?? span.statusMessage?.slice(0, 200) ?? 'error') : undefined,
    feature: text(a, KEYS.feature, 128),
    user_id: text(a, KEYS.user, 256),
    environment: text(a, KEYS.environment, 64),
    session_id: text(a, KEYS.session, 200)?.trim() || span.traceId.slice(0, 200) || undefined,
    tags: tagsOf(a),
    metadata,
  };
  const parsed = TrackEventInput.safeParse(candidate);
  if (!parsed.success) return { kind: 'rejected', reason: `span ${span.spanId}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}` };
  const models = [...new Set([requestModel, model].filter((m): m is string => !!m).map((m) => m.toLowerCase()))];
  const responseId = text(a, ['gen_ai.response.id'], 200);
  return {
    kind: 'call',
    call: { traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId, responseId, provider, models, reported: read ? read.reported : -1, event: parsed.data },
  };
}
