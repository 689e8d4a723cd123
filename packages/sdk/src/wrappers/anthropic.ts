import { type AnthropicUsage, normalizeAnthropicUsage } from '@llmlab/core/usage';
import { intercept } from './intercept.js';
import { observeStream } from './observe.js';
import { type MethodSpec, trackedMethod, type WrapContext } from './tracked-method.js';

/** Anthropic's usage names the tier that served the call: `standard`, `priority` or `batch`. */
type UsageWithTier = AnthropicUsage & { service_tier?: string | null };

interface Message {
  model?: string;
  usage?: UsageWithTier | null;
}

interface StreamEvent {
  type?: string;
  message?: Message;
  usage?: UsageWithTier | null;
}

/**
 * `message_start` carries the input side (and a first output count); `message_delta` carries
 * the final, cumulative output count and, on newer API versions, may repeat input counts.
 * A field present in the later event wins.
 */
function combine(start: AnthropicUsage | null, delta: AnthropicUsage | null | undefined): AnthropicUsage | null {
  if (!delta) return start;
  const merged: AnthropicUsage = { ...start };
  for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
    const value = delta[key];
    if (typeof value === 'number') merged[key] = value;
  }
  return merged;
}

const messages: MethodSpec = {
  operation: 'messages.create',
  readResult(data, call) {
    const message = data as Message | null;
    call.servedAt(message?.usage?.service_tier);
    call.succeed(message?.usage ? normalizeAnthropicUsage(message.usage) : null, message?.model);
  },
  watchStream(stream, call) {
    let usage: AnthropicUsage | null = null;
    // message_start's usage is only the input side: the output count is final at message_delta.
    let usageFinal = false;
    let model: string | undefined;
    observeStream<object, StreamEvent>(stream, {
      onItem(event) {
        call.markFirstItem();
        if (event?.type === 'message_start') {
          model = event.message?.model;
          usage = event.message?.usage ?? null;
          call.servedAt(event.message?.usage?.service_tier);
        } else if (event?.type === 'message_delta') {
          call.servedAt(event.usage?.service_tier);
          usage = combine(usage, event.usage);
          if (event.usage) usageFinal = true;
        }
        return true;
      },
      onEnd({ error, completed }) {
        const normal = usage ? normalizeAnthropicUsage(usage) : null;
        if (error !== undefined) call.breakOff(error, normal, model, usageFinal);
        else call.succeed(normal, model, completed ? {} : { stream_aborted: true }, usageFinal);
      },
    });
  },
};

/** Proxies an `@anthropic-ai/sdk` client so `messages.create` (and the helpers built on it) is recorded. */
export function interceptAnthropic<C extends object>(client: C, ctx: WrapContext): C {
  return intercept(client, {
    messages: { create: (original) => trackedMethod(original, messages, ctx) },
  });
}
