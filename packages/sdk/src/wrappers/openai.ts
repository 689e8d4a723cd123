import { normalizeOpenAIUsage, type OpenAIUsage } from '@llmlab/core/usage';
import { intercept } from './intercept.js';
import { observeStream } from './observe.js';
import type { TrackedCall } from './tracked-call.js';
import { type MethodSpec, type RequestBody, trackedMethod, type WrapContext } from './tracked-method.js';

interface WithUsage {
  model?: string;
  usage?: OpenAIUsage | null;
}

interface ChatChunk extends WithUsage {
  choices?: unknown[];
}

interface ResponsesEvent {
  type?: string;
  response?: WithUsage & { status?: string; error?: { code?: string } | null };
}

function readUsage(data: unknown, call: TrackedCall): void {
  const result = data as WithUsage | null;
  call.succeed(result?.usage ? normalizeOpenAIUsage(result.usage) : null, result?.model);
}

const chatCompletions: MethodSpec = {
  operation: 'chat.completions.create',
  // Chat streams report usage only when asked; when the caller did not ask, LLMLab asks and hides the extra chunk.
  prepareStream(body) {
    const options = (body.stream_options ?? {}) as Record<string, unknown>;
    if (options.include_usage === true) return { body, injected: false };
    return { body: { ...body, stream_options: { ...options, include_usage: true } } as RequestBody, injected: true };
  },
  readResult: readUsage,
  watchStream(stream, call, injected) {
    let usage: OpenAIUsage | null = null;
    let model: string | undefined;
    observeStream<object, ChatChunk>(stream, {
      onItem(chunk) {
        call.markFirstItem();
        model ??= chunk?.model;
        if (chunk?.usage) {
          usage = chunk.usage;
          if (injected && Array.isArray(chunk.choices) && chunk.choices.length === 0) return false;
        }
        return true;
      },
      onEnd({ error, completed }) {
        const normal = usage ? normalizeOpenAIUsage(usage) : null;
        if (error !== undefined) call.breakOff(error, normal, model);
        else call.succeed(normal, model, completed ? {} : { stream_aborted: true });
      },
    });
  },
};

const FINAL_RESPONSE_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

const responses: MethodSpec = {
  operation: 'responses.create',
  readResult: readUsage,
  watchStream(stream, call) {
    let final: ResponsesEvent['response'] | undefined;
    let model: string | undefined;
    observeStream<object, ResponsesEvent>(stream, {
      onItem(event) {
        call.markFirstItem();
        model ??= event?.response?.model;
        if (event?.type && FINAL_RESPONSE_EVENTS.has(event.type)) final = event.response;
        return true;
      },
      onEnd({ error, completed }) {
        const normal = final?.usage ? normalizeOpenAIUsage(final.usage) : null;
        if (error !== undefined) call.breakOff(error, normal, model);
        else if (final?.status === 'failed') call.breakOff({ name: final.error?.code ?? 'response_failed' }, normal, final.model ?? model);
        else call.succeed(normal, final?.model ?? model, completed ? {} : { stream_aborted: true });
      },
    });
  },
};

const embeddings: MethodSpec = {
  operation: 'embeddings.create',
  readResult: readUsage,
  watchStream(_stream, call) {
    call.succeed(null, undefined);
  },
};

/** Proxies an `openai` client so chat completions, responses and embeddings are recorded. */
export function interceptOpenAI<C extends object>(client: C, ctx: WrapContext): C {
  return intercept(client, {
    chat: { completions: { create: (original) => trackedMethod(original, chatCompletions, ctx) } },
    responses: { create: (original) => trackedMethod(original, responses, ctx) },
    embeddings: { create: (original) => trackedMethod(original, embeddings, ctx) },
  });
}
