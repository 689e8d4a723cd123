/** Anthropic Messages bodies and the streaming event sequence as the API reference documents them. */
import type { FakeContext } from './fake-upstream.js';

const REPLY = ['Hello', ' from', ' the', ' fake', ' upstream', '.'];

function usageOf(ctx: FakeContext, outputTokens: number) {
  const u = ctx.usage.anthropic;
  return {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    output_tokens: outputTokens,
    service_tier: ctx.serviceTier ?? 'standard',
  };
}

export function anthropicMessage(body: Record<string, unknown>, ctx: FakeContext) {
  return {
    id: ctx.id('msg_'),
    type: 'message',
    role: 'assistant',
    model: ctx.model(body.model),
    content: [{ type: 'text', text: REPLY.join('') }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: usageOf(ctx, ctx.usage.anthropic.output_tokens),
  };
}

/**
 * message_start (input usage, output_tokens 1), content_block_start, ping, text deltas,
 * content_block_stop, message_delta (final cumulative output_tokens), message_stop.
 */
export function anthropicStream(body: Record<string, unknown>, ctx: FakeContext) {
  const message = { ...anthropicMessage(body, ctx), content: [], stop_reason: null, usage: usageOf(ctx, 1) };
  const events: { type: string; [k: string]: unknown }[] = [
    { type: 'message_start', message },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'ping' },
    ...REPLY.map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: ctx.usage.anthropic.output_tokens } },
    { type: 'message_stop' },
  ];
  return events.map((e) => ({ event: e.type, data: e }));
}
