/**
 * Answers of OpenAI-compatible hosts whose usage block differs from OpenAI's, as their API
 * references document them. DeepSeek (https://api-docs.deepseek.com/api/create-chat-completion):
 * `prompt_cache_hit_tokens` and `prompt_cache_miss_tokens` beside `prompt_tokens` (their sum),
 * with no `prompt_tokens_details`; a stream asked for usage ends in a chunk with empty choices
 * carrying it, as OpenAI's does.
 */
import { chatCompletion, chatStream } from './fake-openai.js';
import type { FakeContext } from './fake-upstream.js';

function deepseekUsage(ctx: FakeContext) {
  const u = ctx.usage.chat;
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_cache_hit_tokens: u.cached_tokens,
    prompt_cache_miss_tokens: u.prompt_tokens - u.cached_tokens,
  };
}

/** A DeepSeek `chat.completion`: OpenAI's shape (no service_tier), DeepSeek's usage. */
export function deepseekChatCompletion(body: Record<string, unknown>, ctx: FakeContext) {
  const { service_tier: _tier, ...completion } = chatCompletion(body, ctx);
  return { ...completion, usage: deepseekUsage(ctx) };
}

/** DeepSeek `chat.completion.chunk` events, the usage chunk in DeepSeek's fields. */
export function deepseekChatStream(body: Record<string, unknown>, ctx: FakeContext) {
  return chatStream(body, ctx).map((event) => {
    if (typeof event.data !== 'object' || event.data === null) return event;
    const { service_tier: _tier, ...chunk } = event.data as Record<string, unknown>;
    return { data: chunk.usage ? { ...chunk, usage: deepseekUsage(ctx) } : chunk };
  });
}
