/**
 * The OpenAI-compatible hosts on the test upstream: OpenAI's chat.completion and
 * chat.completion.chunk bodies (https://platform.openai.com/docs/api-reference/chat), with each
 * host's usage fields and extras as its own API reference documents them:
 * - Groq (https://console.groq.com/docs/api-reference#chat-create): timings in `usage`, `x_groq`;
 *   a stream's finishing chunk carries `x_groq.usage`, and a usage chunk follows when asked.
 * - DeepSeek (https://api-docs.deepseek.com/api/create-chat-completion): `prompt_cache_hit_tokens`
 *   and `prompt_cache_miss_tokens`, no prompt_tokens_details; `reasoning_content` for the reasoner.
 * - Mistral (https://docs.mistral.ai/api/#tag/chat): plain usage, on a stream's finishing chunk always.
 * - Together (https://docs.together.ai/reference/chat-completions-1): plain usage, on the finishing chunk.
 * - Fireworks (https://docs.fireworks.ai/api-reference/post-chatcompletions): usage with
 *   prompt_tokens_details.cached_tokens, on the finishing chunk always.
 * - OpenRouter (https://openrouter.ai/docs/api-reference/overview, /docs/use-cases/usage-accounting):
 *   answers with the model it routed to and the provider that served it; `usage.cost` in credits;
 *   streams open with `: OPENROUTER PROCESSING` comments and end with a usage chunk.
 * - xAI (https://docs.x.ai/docs/api-reference#chat-completions): `completion_tokens` leaves the
 *   reasoning out; `completion_tokens_details.reasoning_tokens` reports it beside.
 * - Perplexity (https://docs.perplexity.ai/api-reference/chat-completions-post): top-level
 *   `reasoning_tokens` outside completion_tokens, `citations` and `search_results`, usage on the
 *   finishing chunk always.
 * - Cerebras (https://inference-docs.cerebras.ai/api-reference/chat-completions): `time_info`,
 *   usage on the finishing chunk always.
 * - Ollama (https://github.com/ollama/ollama/blob/main/docs/openai.md) and vLLM
 *   (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html): plain usage, a usage
 *   chunk when `stream_options.include_usage`.
 */
import { type CompatibleCounts, type HostAnswer, type HostContext, type HostSseEvent, REPLY } from './host-context.js';

type Obj = Record<string, unknown>;

export const COMPATIBLE_HOSTS = ['groq', 'deepseek', 'mistral', 'together', 'fireworks', 'openrouter', 'xai', 'perplexity', 'cerebras', 'ollama', 'vllm'] as const;
export type CompatibleHost = (typeof COMPATIBLE_HOSTS)[number];

/** The model OpenRouter's router picks for a request. */
export const OPENROUTER_ROUTED: Record<string, string> = { 'openrouter/auto': 'anthropic/claude-3.5-sonnet' };

interface HostFormat {
  usage(c: CompatibleCounts): Obj;
  /** `asked`: a last chunk with no choices, when stream_options.include_usage; `final`: on the finishing chunk, always; `always`: a last chunk with no choices, asked or not. */
  streamUsage: 'asked' | 'final' | 'always';
  model?(requested: string): string;
  /** Fields added to a completion and to every chunk. */
  extra?: Obj;
  /** Fields added to a completion only. */
  jsonExtra?(): Obj;
  /** Fields added to a stream's finishing chunk (the one with finish_reason). */
  finishExtra?(usage: Obj): Obj;
  /** The message and delta field the reasoning text travels in, when there is reasoning. */
  reasoningField?: string;
  /** Comment lines a stream opens with. */
  preamble?: string[];
}

const total = (c: CompatibleCounts) => c.prompt_tokens + c.text_tokens + c.reasoning_tokens;
/** OpenAI's reading: completion_tokens includes the reasoning. */
const plain = (c: CompatibleCounts) => ({ prompt_tokens: c.prompt_tokens, completion_tokens: c.text_tokens + c.reasoning_tokens, total_tokens: total(c) });

const timeInfo = () => ({ time_info: { queue_time: 0.0001, prompt_time: 0.002, completion_time: 0.05, total_time: 0.06, created: Date.now() / 1000 } });

const FORMATS: Record<CompatibleHost, HostFormat> = {
  groq: {
    usage: (c) => ({ queue_time: 0.0213, prompt_tokens: c.prompt_tokens, prompt_time: 0.0301, completion_tokens: c.text_tokens + c.reasoning_tokens, completion_time: 0.38, total_tokens: total(c), total_time: 0.4101 }),
    streamUsage: 'asked',
    extra: { system_fingerprint: 'fp_groq0001', x_groq: { id: 'req_01fakegroq' } },
    finishExtra: (usage) => ({ x_groq: { id: 'req_01fakegroq', usage } }),
  },
  deepseek: {
    usage: (c) => ({
      completion_tokens: c.text_tokens + c.reasoning_tokens,
      prompt_tokens: c.prompt_tokens,
      prompt_cache_hit_tokens: c.cached_tokens,
      prompt_cache_miss_tokens: c.prompt_tokens - c.cached_tokens,
      total_tokens: total(c),
      ...(c.reasoning_tokens > 0 ? { completion_tokens_details: { reasoning_tokens: c.reasoning_tokens } } : {}),
    }),
    streamUsage: 'asked',
    extra: { system_fingerprint: 'fp_deepseek01' },
    reasoningField: 'reasoning_content',
  },
  mistral: { usage: plain, streamUsage: 'final' },
  together: { usage: plain, streamUsage: 'final' },
  fireworks: { usage: (c) => ({ ...plain(c), prompt_tokens_details: { cached_tokens: c.cached_tokens } }), streamUsage: 'final' },
  openrouter: {
    usage: (c) => ({
      ...plain(c),
      // Credits charged, at the routed model's own rates (Anthropic reads cache at a tenth).
      cost: ((c.prompt_tokens - c.cached_tokens) * 3 + c.cached_tokens * 0.3 + (c.text_tokens + c.reasoning_tokens) * 15) / 1e6,
      is_byok: false,
      prompt_tokens_details: { cached_tokens: c.cached_tokens, audio_tokens: 0 },
      cost_details: { upstream_inference_cost: null },
      completion_tokens_details: { reasoning_tokens: c.reasoning_tokens, image_tokens: 0 },
    }),
    streamUsage: 'always',
    model: (requested) => OPENROUTER_ROUTED[requested] ?? requested,
    extra: { provider: 'Anthropic' },
    preamble: ['OPENROUTER PROCESSING', 'OPENROUTER PROCESSING'],
    reasoningField: 'reasoning',
  },
  xai: {
    usage: (c) => ({
      prompt_tokens: c.prompt_tokens,
      completion_tokens: c.text_tokens,
      total_tokens: total(c),
      prompt_tokens_details: { text_tokens: c.prompt_tokens, audio_tokens: 0, image_tokens: 0, cached_tokens: c.cached_tokens },
      completion_tokens_details: { reasoning_tokens: c.reasoning_tokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      num_sources_used: 0,
    }),
    streamUsage: 'asked',
    extra: { system_fingerprint: 'fp_xai00001' },
    reasoningField: 'reasoning_content',
  },
  perplexity: {
    usage: (c) => ({
      prompt_tokens: c.prompt_tokens,
      completion_tokens: c.text_tokens,
      total_tokens: total(c),
      search_context_size: 'low',
      ...(c.reasoning_tokens > 0 ? { reasoning_tokens: c.reasoning_tokens } : {}),
      cost: { input_tokens_cost: 0.000002, output_tokens_cost: 0.000001, request_cost: 0.005, total_cost: 0.005003 },
    }),
    streamUsage: 'final',
    extra: { citations: ['https://example.com/fake-source'], search_results: [{ title: 'A fake source', url: 'https://example.com/fake-source', date: '2025-01-01' }] },
  },
  cerebras: {
    usage: (c) => ({ ...plain(c), prompt_tokens_details: { cached_tokens: c.cached_tokens } }),
    streamUsage: 'final',
    extra: { system_fingerprint: 'fp_cerebras1' },
    jsonExtra: () => timeInfo(),
    finishExtra: () => timeInfo(),
  },
  ollama: { usage: plain, streamUsage: 'asked', extra: { system_fingerprint: 'fp_ollama' } },
  vllm: { usage: (c) => ({ ...plain(c), prompt_tokens_details: null }), streamUsage: 'asked', extra: { prompt_logprobs: null } },
};

const CHAT_PATH = /^(\/v1)?\/chat\/completions$/;

function completion(format: HostFormat, model: string, ctx: HostContext): Obj {
  const c = ctx.usage.compatible;
  const reasoning = format.reasoningField && c.reasoning_tokens > 0 ? { [format.reasoningField]: 'Thinking it over.' } : {};
  return {
    id: ctx.id('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: REPLY.join(''), ...reasoning }, logprobs: null, finish_reason: 'stop' }],
    ...(ctx.noUsage ? {} : { usage: format.usage(c) }),
    ...format.extra,
    ...format.jsonExtra?.(),
  };
}

function stream(format: HostFormat, body: Obj, model: string, ctx: HostContext): HostSseEvent[] {
  const c = ctx.usage.compatible;
  const asked = (body.stream_options as Obj | undefined)?.include_usage === true;
  const mode = ctx.noUsage ? 'none' : format.streamUsage === 'asked' && !asked ? 'none' : format.streamUsage;
  const usage = format.usage(c);
  const id = ctx.id('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: Obj[], fields: Obj = {}) => ({ data: { id, object: 'chat.completion.chunk', created, model, choices, ...format.extra, ...fields } });
  const delta = (d: Obj, finish: string | null = null) => ({ index: 0, delta: d, logprobs: null, finish_reason: finish });
  const events: HostSseEvent[] = (format.preamble ?? []).map((comment) => ({ comment }));
  events.push(chunk([delta({ role: 'assistant', content: '' })]));
  if (format.reasoningField && c.reasoning_tokens > 0) events.push(chunk([delta({ content: null, [format.reasoningField]: 'Thinking it over.' })]));
  for (const text of REPLY) events.push(chunk([delta({ content: text })]));
  const finish = { ...(ctx.noUsage ? {} : format.finishExtra?.(usage)), ...(mode === 'final' ? { usage } : {}) };
  events.push(chunk([delta({}, 'stop')], finish));
  if (mode === 'asked' || mode === 'always') events.push(chunk([], { usage }));
  events.push({ data: '[DONE]' });
  return events;
}

export function answerCompatible(host: CompatibleHost, method: string, path: string, body: Obj, ctx: HostContext): HostAnswer | null {
  if (method !== 'POST' || !CHAT_PATH.test(path)) return null;
  const format = FORMATS[host];
  const requested = typeof body.model === 'string' ? body.model : 'unknown';
  const model = format.model?.(requested) ?? requested;
  return body.stream === true ? { sse: stream(format, body, model, ctx) } : { json: completion(format, model, ctx) };
}
