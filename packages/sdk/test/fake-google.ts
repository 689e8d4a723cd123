/**
 * Gemini API (Google AI, `generativelanguage.googleapis.com/v1beta`) bodies as its API reference
 * documents them: GenerateContentResponse and UsageMetadata (https://ai.google.dev/api/generate-content),
 * EmbedContentResponse and BatchEmbedContentsResponse (https://ai.google.dev/api/embeddings),
 * CountTokensResponse (https://ai.google.dev/api/tokens), errors (https://ai.google.dev/gemini-api/docs/troubleshooting).
 * JSON is proto3 JSON: camelCase, and a count that is zero is left out, as Gemini leaves it out.
 * `body.model` is the model from the request path (`/v1beta/models/{model}:generateContent`):
 * Gemini takes it from the URL, not the body.
 */
import type { FakeAnswer, FakeContext } from './fake-upstream.js';

const REPLY = ['Hello', ' from', ' the', ' fake', ' upstream', '.'];

/** The counts of a Gemini `usageMetadata`. */
export interface FakeGeminiUsage {
  /** The whole prompt, cached content included. */
  promptTokenCount: number;
  /** The part of the prompt read from a context cache (implicit or explicit). */
  cachedContentTokenCount: number;
  /** The answer's text, thinking excluded. */
  candidatesTokenCount: number;
  /** Thinking: billed as output, reported beside candidatesTokenCount, not inside it. */
  thoughtsTokenCount: number;
}

export const DEFAULT_FAKE_GEMINI_USAGE: FakeGeminiUsage = {
  promptTokenCount: 1500,
  cachedContentTokenCount: 1024,
  candidatesTokenCount: 200,
  thoughtsTokenCount: 350,
};

/** The `usageMetadata` block, with `candidates` as the candidates count so far (a stream's grows). */
function usageMetadata(usage: FakeGeminiUsage, candidates: number) {
  const { promptTokenCount: prompt, cachedContentTokenCount: cached, thoughtsTokenCount: thoughts } = usage;
  return {
    promptTokenCount: prompt,
    ...(candidates > 0 ? { candidatesTokenCount: candidates } : {}),
    totalTokenCount: prompt + candidates + thoughts,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    ...(cached > 0 ? { cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cached }] } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

function candidate(text: string, finished: boolean) {
  return {
    content: { role: 'model', parts: [{ text }] },
    ...(finished ? { finishReason: 'STOP' } : {}),
    index: 0,
  };
}

/** The model Gemini names in `modelVersion`: the requested one without its `models/` prefix. */
function modelVersion(body: Record<string, unknown>, ctx: FakeContext): string {
  return ctx.model(typeof body.model === 'string' ? body.model.replace(/^models\//, '') : body.model);
}

/** A `:generateContent` answer (GenerateContentResponse). */
export function geminiResponse(body: Record<string, unknown>, ctx: FakeContext, usage: FakeGeminiUsage = DEFAULT_FAKE_GEMINI_USAGE) {
  return {
    candidates: [candidate(REPLY.join(''), true)],
    usageMetadata: usageMetadata(usage, usage.candidatesTokenCount),
    modelVersion: modelVersion(body, ctx),
    responseId: ctx.id('resp-'),
  };
}

/**
 * The chunks of a `:streamGenerateContent?alt=sse` answer, each a GenerateContentResponse sent as
 * `data: <json>\r\n\r\n` (no event names, no [DONE]). Every chunk carries `usageMetadata`: the
 * prompt, cache and thinking counts from the first, the candidates count growing; the last
 * chunk has `finishReason` and the final counts.
 */
export function geminiStream(body: Record<string, unknown>, ctx: FakeContext, usage: FakeGeminiUsage = DEFAULT_FAKE_GEMINI_USAGE) {
  const responseId = ctx.id('resp-');
  const model = modelVersion(body, ctx);
  return REPLY.map((text, i) => {
    const last = i === REPLY.length - 1;
    return {
      candidates: [candidate(text, last)],
      usageMetadata: usageMetadata(usage, Math.floor((usage.candidatesTokenCount * (i + 1)) / REPLY.length)),
      modelVersion: model,
      responseId,
    };
  });
}

function vector(seed: number, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => Math.round(Math.sin(seed + i + 1) * 1e6) / 1e6);
}

function dimensionsOf(request: Record<string, unknown>): number {
  return typeof request.outputDimensionality === 'number' ? request.outputDimensionality : 8;
}

/** An `:embedContent` answer (EmbedContentResponse): the vector only, no token count. */
export function geminiEmbedding(body: Record<string, unknown>) {
  return { embedding: { values: vector(0, dimensionsOf(body)) } };
}

/**
 * A `:batchEmbedContents` answer (BatchEmbedContentsResponse), one vector per request: what
 * `@google/genai`'s `models.embedContent` calls on the Gemini API. No token count either.
 */
export function geminiBatchEmbeddings(body: Record<string, unknown>) {
  const requests = Array.isArray(body.requests) ? (body.requests as Record<string, unknown>[]) : [];
  return { embeddings: requests.map((request, index) => ({ values: vector(index, dimensionsOf(request)) })) };
}

/** A `:countTokens` answer (CountTokensResponse): free, and not a model call. */
export function geminiCountTokens(_body: Record<string, unknown>, usage: FakeGeminiUsage = DEFAULT_FAKE_GEMINI_USAGE) {
  return { totalTokens: usage.promptTokenCount };
}

/** Google's error body: `{error: {code, message, status}}` (google.rpc.Status). */
export function geminiError(code: number, status: string, message: string) {
  return { error: { code, message, status } };
}

/** A Gemini API method's path: `/v1beta/models/{model}:{method}`. */
export const GEMINI_PATH = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):([A-Za-z]+)$/;

/**
 * The answer to a Gemini API call, by path: `models/{model}:generateContent`,
 * `:streamGenerateContent` (`alt=sse`: SSE with CRLF line ends, else one JSON array),
 * `:embedContent`, `:batchEmbedContents`, `:countTokens`; null for any other path.
 */
export function geminiAnswer(path: string, query: URLSearchParams, body: Record<string, unknown>, ctx: FakeContext, usage: FakeGeminiUsage = DEFAULT_FAKE_GEMINI_USAGE): FakeAnswer | null {
  const match = GEMINI_PATH.exec(path);
  if (!match) return null;
  const read = { ...body, model: decodeURIComponent(match[1]) };
  switch (match[2]) {
    case 'generateContent':
      return { json: geminiResponse(read, ctx, usage) };
    case 'streamGenerateContent': {
      const chunks = geminiStream(read, ctx, usage);
      return query.get('alt') === 'sse' ? { sse: chunks.map((data) => ({ data })), crlf: true } : { json: chunks };
    }
    case 'embedContent':
      return { json: geminiEmbedding(read) };
    case 'batchEmbedContents':
      return { json: geminiBatchEmbeddings(read) };
    case 'countTokens':
      return { json: geminiCountTokens(read, usage) };
    default:
      return null;
  }
}
