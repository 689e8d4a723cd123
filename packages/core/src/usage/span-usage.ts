import type { TokenUsage } from '../pricing/rates.js';

/**
 * Token usage as OpenTelemetry spans report it, read per attribute spelling and per
 * instrumentation scope. The OpenTelemetry GenAI conventions count cache reads and writes inside
 * `gen_ai.usage.input_tokens`; some instrumentations put Anthropic's own `input_tokens` there,
 * which leaves them out. Which one a span means is decided by who wrote it (the scope) and how
 * it spells the cache attributes, never by comparing the numbers. docs/otlp.md has the table.
 */

export type SpanAttributes = Record<string, unknown>;

/** Attribute spellings for each count, first present wins. */
export const SPAN_USAGE_KEYS = {
  input: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.usage.prompt_tokens', 'ai.usage.inputTokens', 'ai.usage.promptTokens'],
  output: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.usage.completion_tokens', 'ai.usage.outputTokens', 'ai.usage.completionTokens'],
  cacheRead: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'gen_ai.usage.input_tokens.cached',
    'gen_ai.usage.cached_tokens',
    'gen_ai.usage.prompt_tokens_details.cache_read',
    'ai.usage.inputTokenDetails.cacheReadTokens',
    'ai.usage.cachedInputTokens',
  ],
  cacheWrite: [
    'gen_ai.usage.cache_creation.input_tokens',
    'gen_ai.usage.cache_write.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
    'gen_ai.usage.cache_write_input_tokens',
    'gen_ai.usage.prompt_tokens_details.cache_write',
    'ai.usage.inputTokenDetails.cacheWriteTokens',
  ],
  reasoning: [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.reasoning_tokens',
    'gen_ai.usage.output_tokens.reasoning',
    'gen_ai.usage.completion_tokens.reasoning',
    'gen_ai.usage.completion_tokens_details.reasoning',
    'ai.usage.outputTokenDetails.reasoningTokens',
    'ai.usage.reasoningTokens',
  ],
} as const;

/** Anthropic's own field names, which only instrumentations copying Anthropic's usage block use. */
const ANTHROPIC_NATIVE_SPELLINGS = ['gen_ai.usage.cache_read_input_tokens', 'gen_ai.usage.cache_creation_input_tokens'];

/** Instrumentation scopes (tracer names) whose conventions are known. */
export const SCOPES = {
  anthropicSdk: 'com.anthropic.sdk.typescript',
  openllmetryAnthropic: '@traceloop/instrumentation-anthropic',
  openllmetryOpenAI: '@traceloop/instrumentation-openai',
  otelOpenAI: '@opentelemetry/instrumentation-openai',
  openlit: 'openlit',
  vercelAi: 'ai',
} as const;

/** How a span's input count relates to its cache counts, and why that was decided. */
export type InputConvention =
  | 'includes_cache: OpenTelemetry GenAI convention'
  | 'includes_cache: Anthropic SDK tracing'
  | 'includes_cache: Vercel AI SDK input token details'
  | 'excludes_cache: OpenLLMetry Anthropic'
  | 'excludes_cache: OpenLIT Anthropic'
  | 'excludes_cache: Vercel AI SDK 5 Anthropic'
  | 'excludes_cache: Anthropic field names';

export interface SpanUsage {
  /** LLMLab's shape: input includes cache reads and writes, output includes reasoning. */
  usage: TokenUsage;
  /** How many of the five counts (input, output, cache read, cache write, reasoning) the span reported. */
  reported: number;
  convention: InputConvention;
  /** Set when the counts broke their own convention (a part larger than its total) and the part was added to the total. */
  corrected?: string;
}

function count(attrs: SpanAttributes, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = attrs[k];
    if (v === undefined || v === null || v === '') continue;
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  return undefined;
}

/** Whether the span's input count includes its cache tokens, from its scope and spellings. */
export function inputConvention(attrs: SpanAttributes, scope: string, provider: string): InputConvention {
  const anthropic = provider === 'anthropic';
  if (scope === SCOPES.anthropicSdk) return 'includes_cache: Anthropic SDK tracing';
  if (scope === SCOPES.openllmetryAnthropic) return 'excludes_cache: OpenLLMetry Anthropic';
  if (scope === SCOPES.openlit && anthropic) return 'excludes_cache: OpenLIT Anthropic';
  if (scope === SCOPES.vercelAi || attrs['ai.operationId'] !== undefined) {
    // AI SDK 6 reports input token details and a total that includes them; AI SDK 5's Anthropic
    // provider passed Anthropic's own input_tokens through.
    if (Object.keys(attrs).some((k) => k.startsWith('ai.usage.inputTokenDetails.'))) return 'includes_cache: Vercel AI SDK input token details';
    if (anthropic) return 'excludes_cache: Vercel AI SDK 5 Anthropic';
    return 'includes_cache: OpenTelemetry GenAI convention';
  }
  if (ANTHROPIC_NATIVE_SPELLINGS.some((k) => attrs[k] !== undefined)) return 'excludes_cache: Anthropic field names';
  return 'includes_cache: OpenTelemetry GenAI convention';
}

/**
 * The usage one span reports, or null when it reports none (no input and no output count).
 * @example readSpanUsage({ 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.output_tokens': 400 }, '@traceloop/instrumentation-anthropic', 'anthropic')?.usage.input_tokens // 2020
 */
export function readSpanUsage(attrs: SpanAttributes, scope: string, provider: string): SpanUsage | null {
  const K = SPAN_USAGE_KEYS;
  const input = count(attrs, K.input);
  const output = count(attrs, K.output);
  if (input === undefined && output === undefined) return null;
  const read = count(attrs, K.cacheRead);
  const write = count(attrs, K.cacheWrite);
  const reasoning = count(attrs, K.reasoning);
  const reported = [input, output, read, write, reasoning].filter((v) => v !== undefined).length;
  const convention = inputConvention(attrs, scope, provider);
  const cached = (read ?? 0) + (write ?? 0);
  let inputTokens = convention.startsWith('excludes_cache') ? (input ?? 0) + cached : (input ?? 0);
  let outputTokens = output ?? 0;
  const corrections: string[] = [];
  // A count that breaks its own convention is kept, not dropped: the call happened and was billed.
  if (cached > inputTokens) {
    corrections.push(`cache tokens (${cached}) exceeded input tokens (${inputTokens}) and were added to them`);
    inputTokens += cached;
  }
  if ((reasoning ?? 0) > outputTokens) {
    corrections.push(`reasoning tokens (${reasoning}) exceeded output tokens (${outputTokens}) and were added to them`);
    outputTokens += reasoning ?? 0;
  }
  return {
    usage: { input_tokens: inputTokens, output_tokens: outputTokens, cached_input_tokens: read ?? 0, cache_write_tokens: write ?? 0, reasoning_tokens: reasoning ?? 0 },
    reported,
    convention,
    ...(corrections.length ? { corrected: corrections.join('; ') } : {}),
  };
}
