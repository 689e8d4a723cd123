/**
 * Cohere API v2 on the test upstream, after its API reference (https://docs.cohere.com/reference/chat,
 * /reference/chat-stream, /reference/embed): `/v2/chat` answers `{id, finish_reason, message,
 * usage: {billed_units, tokens, cached_tokens}}` and does not name the model; with `stream: true`
 * it sends named events message-start, content-start, content-delta..., content-end and
 * message-end, whose `delta.usage` holds the usage. `/v2/embed` answers embeddings by type with
 * the counts in `meta`. Errors are `{id, message}`.
 */
import { randomUUID } from 'node:crypto';
import { type HostAnswer, type HostContext, REPLY } from './host-context.js';

type Obj = Record<string, unknown>;

function usage(ctx: HostContext) {
  const u = ctx.usage.cohere;
  return {
    billed_units: { input_tokens: u.billed_input_tokens, output_tokens: u.billed_output_tokens },
    tokens: { input_tokens: u.input_tokens, output_tokens: u.output_tokens },
    cached_tokens: 0,
  };
}

function chat(body: Obj, ctx: HostContext): HostAnswer {
  const id = randomUUID();
  if (body.stream !== true) {
    return { json: { id, finish_reason: 'COMPLETE', message: { role: 'assistant', content: [{ type: 'text', text: REPLY.join('') }] }, usage: usage(ctx) } };
  }
  const events: { event: string; data: Obj }[] = [
    { event: 'message-start', data: { id, type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } } },
    { event: 'content-start', data: { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } } },
    ...REPLY.map((text) => ({ event: 'content-delta', data: { type: 'content-delta', index: 0, delta: { message: { content: { text } } }, logprobs: null } })),
    { event: 'content-end', data: { type: 'content-end', index: 0 } },
    { event: 'message-end', data: { type: 'message-end', delta: { finish_reason: 'COMPLETE', usage: usage(ctx) } } },
  ];
  return { sse: events };
}

function embed(body: Obj, ctx: HostContext): HostAnswer {
  const texts = Array.isArray(body.texts) ? (body.texts as string[]) : [];
  const types = Array.isArray(body.embedding_types) ? (body.embedding_types as string[]) : ['float'];
  const vector = (seed: number) => Array.from({ length: 8 }, (_, i) => Math.round(Math.sin(seed + i + 1) * 1e6) / 1e6);
  const embeddings = Object.fromEntries(types.map((type) => [type, texts.map((_, i) => (type === 'float' ? vector(i) : vector(i).map((v) => Math.round(v * 127))))]));
  const u = ctx.usage.cohere;
  return {
    json: {
      id: randomUUID(),
      embeddings,
      texts,
      meta: { api_version: { version: '2' }, billed_units: { input_tokens: u.billed_input_tokens }, tokens: { input_tokens: u.input_tokens } },
      response_type: 'embeddings_by_type',
    },
  };
}

export function answerCohere(method: string, path: string, body: Obj, ctx: HostContext): HostAnswer | null {
  if (method !== 'POST') return null;
  if (path === '/v2/chat') return chat(body, ctx);
  if (path === '/v2/embed') return embed(body, ctx);
  return null;
}

export const cohereError = (message: string) => ({ id: randomUUID(), message });
