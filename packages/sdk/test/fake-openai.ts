/** OpenAI response bodies and SSE sequences as the API reference documents them. */
import type { FakeContext } from './fake-upstream.js';

const REPLY = ['Hello', ' from', ' the', ' fake', ' upstream', '.'];

/** The tier OpenAI names in its answer: the one asked for when it is flex or priority, else `default`. */
function servedTier(body: Record<string, unknown>, ctx: FakeContext): string {
  if (ctx.serviceTier) return ctx.serviceTier;
  return body.service_tier === 'flex' || body.service_tier === 'priority' ? body.service_tier : 'default';
}

function chatUsage(ctx: FakeContext) {
  const u = ctx.usage.chat;
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning_tokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function chatCompletion(body: Record<string, unknown>, ctx: FakeContext) {
  return {
    id: ctx.id('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.model(body.model),
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: REPLY.join(''), refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: chatUsage(ctx),
    service_tier: servedTier(body, ctx),
    system_fingerprint: 'fp_fake0001',
  };
}

/** chat.completion.chunk events; with include_usage every chunk has `usage: null` and a last chunk with empty choices carries it. */
export function chatStream(body: Record<string, unknown>, ctx: FakeContext) {
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const id = ctx.id('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const model = ctx.model(body.model);
  const chunk = (choices: unknown[], usage?: unknown) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: servedTier(body, ctx),
    system_fingerprint: 'fp_fake0001',
    choices,
    ...(includeUsage ? { usage: usage ?? null } : {}),
  });
  const events: { data: unknown }[] = [
    { data: chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]) },
    ...REPLY.map((text) => ({ data: chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]) })),
    { data: chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]) },
  ];
  if (includeUsage) events.push({ data: chunk([], chatUsage(ctx)) });
  events.push({ data: '[DONE]' });
  return events;
}

export function responseObject(body: Record<string, unknown>, ctx: FakeContext, status: 'in_progress' | 'completed', id = ctx.id('resp_')) {
  const u = ctx.usage.responses;
  const done = status === 'completed';
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: ctx.model(body.model),
    output: done
      ? [
          {
            type: 'message',
            id: 'msg_fake0001',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: REPLY.join(''), annotations: [], logprobs: [] }],
          },
        ]
      : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: servedTier(body, ctx),
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done
      ? {
          input_tokens: u.input_tokens,
          input_tokens_details: { cached_tokens: u.cached_tokens },
          output_tokens: u.output_tokens,
          output_tokens_details: { reasoning_tokens: u.reasoning_tokens },
          total_tokens: u.input_tokens + u.output_tokens,
        }
      : null,
    user: null,
    metadata: {},
  };
}

/** The Responses streaming sequence: created, in_progress, item and part events, text deltas, completed. */
export function responsesStream(body: Record<string, unknown>, ctx: FakeContext) {
  const id = ctx.id('resp_');
  const item = { id: 'msg_fake0001', type: 'message', status: 'in_progress', role: 'assistant', content: [] as unknown[] };
  const text = REPLY.join('');
  const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
  const events: { type: string; [k: string]: unknown }[] = [
    { type: 'response.created', response: responseObject(body, ctx, 'in_progress', id) },
    { type: 'response.in_progress', response: responseObject(body, ctx, 'in_progress', id) },
    { type: 'response.output_item.added', output_index: 0, item },
    { type: 'response.content_part.added', item_id: item.id, output_index: 0, content_index: 0, part },
    ...REPLY.map((delta) => ({ type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta, logprobs: [] })),
    { type: 'response.output_text.done', item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] },
    { type: 'response.content_part.done', item_id: item.id, output_index: 0, content_index: 0, part: { ...part, text } },
    { type: 'response.output_item.done', output_index: 0, item: { ...item, status: 'completed', content: [{ ...part, text }] } },
    { type: 'response.completed', response: responseObject(body, ctx, 'completed', id) },
  ];
  return events.map((e, sequence_number) => ({ event: e.type, data: { ...e, sequence_number } }));
}

/** An embeddings list; `encoding_format: 'base64'` (what the official client asks for) gets little-endian float32 in base64. */
export function embeddingList(body: Record<string, unknown>, ctx: FakeContext) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const dims = typeof body.dimensions === 'number' ? body.dimensions : 8;
  const data = inputs.map((_, index) => {
    const vector = Array.from({ length: dims }, (_, i) => Math.round(Math.sin(index + i + 1) * 1e6) / 1e6);
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const prompt = ctx.usage.embeddings.prompt_tokens;
  return { object: 'list', data, model: ctx.model(body.model), usage: { prompt_tokens: prompt, total_tokens: prompt } };
}
