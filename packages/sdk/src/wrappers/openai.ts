import { type CompatibleUsage, normalizeCompatibleUsage } from '@llmlab/core/usage';
import { intercept } from './intercept.js';
import { observeStream } from './observe.js';
import type { NormalUsage, TrackedCall } from './tracked-call.js';
import { type MethodSpec, type RequestBody, trackedMethod, type WrapContext } from './tracked-method.js';

interface WithUsage {
  model?: string;
  usage?: CompatibleUsage | null;
  /** The tier that served the call: `default`, `flex`, `priority`, `scale`. */
  service_tier?: string | null;
}

/** Reads a usage block as the client's host reports it (DeepSeek's cache hits, xAI's reasoning beside the completion). */
type ReadUsage = (usage: CompatibleUsage) => NormalUsage;

interface ChatChunk extends WithUsage {
  choices?: unknown[];
}

interface ResponsesEvent {
  type?: string;
  response?: WithUsage & { status?: string; error?: { code?: string } | null };
}

const resultReader = (normalize: ReadUsage) => (data: unknown, call: TrackedCall) => {
  const result = data as WithUsage | null;
  call.servedAt(result?.service_tier);
  call.succeed(result?.usage ? normalize(result.usage) : null, result?.model);
};

const chatCompletions = (normalize: ReadUsage): MethodSpec => ({
  operation: 'chat.completions.create',
  // Chat streams report usage only when asked; when the caller did not ask, LLMLab asks and hides the extra chunk.
  prepareStream(body) {
    const options = (body.stream_options ?? {}) as Record<string, unknown>;
    if (options.include_usage === true) return { body, injected: false };
    return { body: { ...body, stream_options: { ...options, include_usage: true } } as RequestBody, injected: true };
  },
  readResult: resultReader(normalize),
  watchStream(stream, call, injected) {
    let usage: CompatibleUsage | null = null;
    let model: string | undefined;
    observeStream<object, ChatChunk>(stream, {
      onItem(chunk) {
        call.markFirstItem();
        model ??= chunk?.model;
        call.servedAt(chunk?.service_tier);
        if (chunk?.usage) {
          usage = chunk.usage;
          if (injected && Array.isArray(chunk.choices) && chunk.choices.length === 0) return false;
        }
        return true;
      },
      onEnd({ error, completed }) {
        const normal = usage ? normalize(usage) : null;
        if (error !== undefined) call.breakOff(error, normal, model);
        else call.succeed(normal, model, completed ? {} : { stream_aborted: true });
      },
    });
  },
});

const FINAL_RESPONSE_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

const responses = (normalize: ReadUsage): MethodSpec => ({
  operation: 'responses.create',
  readResult: resultReader(normalize),
  watchStream(stream, call) {
    let final: ResponsesEvent['response'] | undefined;
    let model: string | undefined;
    observeStream<object, ResponsesEvent>(stream, {
      onItem(event) {
        call.markFirstItem();
        model ??= event?.response?.model;
        if (event?.type && FINAL_RESPONSE_EVENTS.has(event.type)) final = event.response;
        call.servedAt(event?.response?.service_tier);
        return true;
      },
      onEnd({ error, completed }) {
        const normal = final?.usage ? normalize(final.usage) : null;
        if (error !== undefined) call.breakOff(error, normal, model);
        else if (final?.status === 'failed') call.breakOff({ name: final.error?.code ?? 'response_failed' }, normal, final.model ?? model);
        else call.succeed(normal, final?.model ?? model, completed ? {} : { stream_aborted: true });
      },
    });
  },
});

const embeddings = (normalize: ReadUsage): MethodSpec => ({
  operation: 'embeddings.create',
  readResult: resultReader(normalize),
  watchStream(_stream, call) {
    call.succeed(null, undefined);
  },
});

/**
 * Proxies an `openai` client so chat completions, responses and embeddings are recorded; usage
 * is read as `ctx.provider` reports it (for `openai`, exactly OpenAI's fields).
 */
export function interceptOpenAI<C extends object>(client: C, ctx: WrapContext): C {
  const normalize: ReadUsage = (usage) => normalizeCompatibleUsage(ctx.provider, usage);
  const chat = chatCompletions(normalize);
  const response = responses(normalize);
  const embedding = embeddings(normalize);
  return intercept(client, {
    chat: { completions: { create: (original) => trackedMethod(original, chat, ctx) } },
    responses: { create: (original) => trackedMethod(original, response, ctx) },
    embeddings: { create: (original) => trackedMethod(original, embedding, ctx) },
  });
}
