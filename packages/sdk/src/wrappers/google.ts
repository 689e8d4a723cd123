import { type GoogleUsageMetadata, normalizeGoogleUsage } from '@llmlab/core/usage';
import { intercept } from './intercept.js';
import { observeStream } from './observe.js';
import type { TrackedCall } from './tracked-call.js';
import { type MethodSpec, type RequestBody, trackedMethod, type WrapContext } from './tracked-method.js';

/** The parts of a GenerateContentResponse (whole answer, or one stream chunk) that are read. */
interface GeminiResponse {
  modelVersion?: string;
  usageMetadata?: GoogleUsageMetadata | null;
  candidates?: { finishReason?: string }[];
  promptFeedback?: { blockReason?: string } | null;
}

/** Gemini takes `models/gemini-2.5-flash` as well as `gemini-2.5-flash`; the price catalog knows the latter. */
function modelOf(body: RequestBody): string | undefined {
  return typeof body?.model === 'string' ? body.model.replace(/^models\//, '') : undefined;
}

function readResponse(data: unknown, call: TrackedCall): void {
  const response = data as GeminiResponse | null;
  call.succeed(response?.usageMetadata ? normalizeGoogleUsage(response.usageMetadata) : null, response?.modelVersion);
}

/** A chunk that ends the answer: a candidate's finishReason, or a prompt Gemini blocked. */
function isLast(chunk: GeminiResponse | null | undefined): boolean {
  return !!chunk && (!!chunk.candidates?.some((c) => c.finishReason) || !!chunk.promptFeedback?.blockReason);
}

const generateContent: MethodSpec = {
  operation: 'models.generateContent',
  streams: false,
  modelOf,
  readResult: readResponse,
  watchStream(_stream, call) {
    call.succeed(null, undefined);
  },
};

const generateContentStream: MethodSpec = {
  operation: 'models.generateContentStream',
  streams: true,
  modelOf,
  readResult: readResponse,
  watchStream(stream, call) {
    // Every chunk carries the counts so far (the client adds up continuation hops): the last one's are the call's.
    let usage: GoogleUsageMetadata | null = null;
    let model: string | undefined;
    let ended = false;
    observeStream<object, GeminiResponse>(stream, {
      onItem(chunk) {
        call.markFirstItem();
        if (chunk?.usageMetadata) usage = chunk.usageMetadata;
        model = chunk?.modelVersion ?? model;
        if (isLast(chunk)) ended = true;
        return true;
      },
      onEnd({ error, completed }) {
        const normal = usage ? normalizeGoogleUsage(usage) : null;
        // Counts seen before the answer ended are partial: a cut stream is usage_missing, not cheap.
        const final = normal !== null && (ended || (completed && error === undefined));
        if (error !== undefined) call.breakOff(error, normal, model, final);
        else call.succeed(normal, model, completed ? {} : { stream_aborted: true }, final);
      },
    });
  },
};

/**
 * Proxies a `@google/genai` client so `models.generateContent` and `models.generateContentStream`
 * are recorded. `models.embedContent` is left as it is: the Gemini API's embedding answer carries
 * no token count (the client keeps only the vectors), so there is no usage to record or price.
 */
export function interceptGoogle<C extends object>(client: C, ctx: WrapContext): C {
  return intercept(client, {
    models: {
      generateContent: (original) => trackedMethod(original, generateContent, ctx),
      generateContentStream: (original) => trackedMethod(original, generateContentStream, ctx),
    },
  });
}
