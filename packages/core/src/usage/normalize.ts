import type { TokenUsage } from '../pricing/rates.js';
import { isServiceTier, type ServiceTier } from '../pricing/service-tiers.js';

/**
 * Provider usage blocks into LLMLab's one shape (OpenTelemetry GenAI semantics): input includes
 * cached reads and cache writes, output includes reasoning; the parts are reported beside it.
 */

type Num = number | null | undefined;
const n = (v: Num): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);

export interface OpenAIUsage {
  prompt_tokens?: Num;
  completion_tokens?: Num;
  input_tokens?: Num;
  output_tokens?: Num;
  prompt_tokens_details?: { cached_tokens?: Num } | null;
  completion_tokens_details?: { reasoning_tokens?: Num } | null;
  input_tokens_details?: { cached_tokens?: Num } | null;
  output_tokens_details?: { reasoning_tokens?: Num } | null;
}

/**
 * OpenAI chat completions, responses and embeddings usage. OpenAI already counts cached tokens
 * inside prompt tokens and reasoning inside completion tokens.
 * @example normalizeOpenAIUsage({ prompt_tokens: 1200, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1024 } })
 */
export function normalizeOpenAIUsage(usage: OpenAIUsage): TokenUsage {
  const input = n(usage.prompt_tokens ?? usage.input_tokens);
  const output = n(usage.completion_tokens ?? usage.output_tokens);
  const cached = n(usage.prompt_tokens_details?.cached_tokens ?? usage.input_tokens_details?.cached_tokens);
  const reasoning = n(
    usage.completion_tokens_details?.reasoning_tokens ?? usage.output_tokens_details?.reasoning_tokens,
  );
  return {
    input_tokens: input,
    output_tokens: output,
    cached_input_tokens: Math.min(cached, input),
    cache_write_tokens: 0,
    reasoning_tokens: Math.min(reasoning, output),
  };
}

export interface AnthropicUsage {
  input_tokens?: Num;
  output_tokens?: Num;
  cache_read_input_tokens?: Num;
  cache_creation_input_tokens?: Num;
}

/**
 * Anthropic messages usage. Anthropic reports cache reads and writes OUTSIDE `input_tokens`,
 * so they are added to make the total.
 * @example normalizeAnthropicUsage({ input_tokens: 20, cache_read_input_tokens: 2000, output_tokens: 400 }).input_tokens // 2020
 */
export function normalizeAnthropicUsage(usage: AnthropicUsage): TokenUsage {
  const read = n(usage.cache_read_input_tokens);
  const write = n(usage.cache_creation_input_tokens);
  return {
    input_tokens: n(usage.input_tokens) + read + write,
    output_tokens: n(usage.output_tokens),
    cached_input_tokens: read,
    cache_write_tokens: write,
    reasoning_tokens: 0,
  };
}

export interface GoogleUsageMetadata {
  promptTokenCount?: Num;
  candidatesTokenCount?: Num;
  cachedContentTokenCount?: Num;
  thoughtsTokenCount?: Num;
  toolUsePromptTokenCount?: Num;
}

/**
 * Gemini `usageMetadata`. The prompt count includes cached content; thinking tokens are billed
 * as output but reported beside the candidates, so they are added to output.
 */
export function normalizeGoogleUsage(usage: GoogleUsageMetadata): TokenUsage {
  const input = n(usage.promptTokenCount) + n(usage.toolUsePromptTokenCount);
  const thoughts = n(usage.thoughtsTokenCount);
  return {
    input_tokens: input,
    output_tokens: n(usage.candidatesTokenCount) + thoughts,
    cached_input_tokens: Math.min(n(usage.cachedContentTokenCount), input),
    cache_write_tokens: 0,
    reasoning_tokens: thoughts,
  };
}

export interface CohereUsage {
  /** What Cohere bills: the cost is read from these. */
  billed_units?: { input_tokens?: Num; output_tokens?: Num; search_units?: Num; classifications?: Num } | null;
  /** Tokens the model saw, system prompt and tool text included: not what is billed. */
  tokens?: { input_tokens?: Num; output_tokens?: Num } | null;
}

/**
 * Cohere v2 `usage` (chat, chat stream `message-end`, embed). Cohere bills `billed_units`,
 * which differ from `tokens` (the latter counts the prompt template Cohere adds); `tokens` is
 * read only when an answer has no `billed_units` at all.
 * @example normalizeCohereUsage({ billed_units: { input_tokens: 12, output_tokens: 40 }, tokens: { input_tokens: 210, output_tokens: 40 } }).input_tokens // 12
 */
export function normalizeCohereUsage(usage: CohereUsage): TokenUsage {
  const counts = usage.billed_units ?? usage.tokens ?? {};
  return { input_tokens: n(counts.input_tokens), output_tokens: n(counts.output_tokens), cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
}

/** OpenAI-shaped usage with the extra fields OpenAI-compatible hosts add. */
export interface CompatibleUsage extends OpenAIUsage {
  /** DeepSeek: prompt tokens read from its context cache, and the rest; their sum is prompt_tokens. */
  prompt_cache_hit_tokens?: Num;
  prompt_cache_miss_tokens?: Num;
  /** xAI, Perplexity: reasoning tokens reported at the top level. */
  reasoning_tokens?: Num;
  /** Perplexity (sonar-deep-research): citation tokens and searches, kept as metadata. */
  citation_tokens?: Num;
  num_search_queries?: Num;
}

/**
 * Providers whose `completion_tokens` leave reasoning out, so reasoning is added to make the
 * output total (the price catalog's extractors read them the same way).
 */
const REASONING_OUTSIDE_COMPLETION = new Set(['x-ai', 'perplexity']);

/**
 * Usage of an OpenAI-compatible host, by catalog provider id: OpenAI's fields, plus DeepSeek's
 * cache hit count, and xAI's and Perplexity's reasoning counted beside the completion.
 * @example normalizeCompatibleUsage('deepseek', { prompt_tokens: 1000, completion_tokens: 50, prompt_cache_hit_tokens: 800, prompt_cache_miss_tokens: 200 }).cached_input_tokens // 800
 */
export function normalizeCompatibleUsage(provider: string, usage: CompatibleUsage): TokenUsage {
  const base = normalizeOpenAIUsage(usage);
  if (provider === 'deepseek' && usage.prompt_cache_hit_tokens != null) {
    base.cached_input_tokens = Math.min(n(usage.prompt_cache_hit_tokens), base.input_tokens);
  }
  if (REASONING_OUTSIDE_COMPLETION.has(provider)) {
    const reasoning = n(usage.completion_tokens_details?.reasoning_tokens ?? usage.reasoning_tokens);
    base.output_tokens += reasoning;
    base.reasoning_tokens = reasoning;
  }
  return base;
}

/**
 * The tier a provider's answer names (OpenAI's top-level `service_tier`, Anthropic's
 * `usage.service_tier`), in LLMLab's words, or null when it names none. OpenAI says `default` for
 * standard processing and `scale` for Scale Tier (capacity paid ahead in units): both are
 * `standard`, whose list prices value Scale Tier tokens. `auto` is a request value only.
 * @example serviceTierFromAnswer('default') // 'standard'
 */
export function serviceTierFromAnswer(value: unknown): ServiceTier | null {
  if (value === 'default' || value === 'scale') return 'standard';
  return isServiceTier(value) ? value : null;
}

export * from './hosts.js';
