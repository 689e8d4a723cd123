import { normalizeGoogleUsage } from '@llmlab/core';
import { STATUS_OF } from '../../http/errors.js';
import type { SseEvent } from '../sse.js';
import { type CallOutcome, GATEWAY_ERROR_CODES, type GatewayErrorKind, isObj, type Obj, parse, type ProviderSpec, type StreamReader, str } from './provider-spec.js';

/** google.rpc.Code names, as the Gemini API's errors carry them in `error.status`. */
const GOOGLE_STATUS: Record<GatewayErrorKind, string> = {
  unauthorized: 'UNAUTHENTICATED',
  forbidden: 'PERMISSION_DENIED',
  bad_request: 'INVALID_ARGUMENT',
  too_large: 'INVALID_ARGUMENT',
  budget_exceeded: 'RESOURCE_EXHAUSTED',
  rate_limited: 'RESOURCE_EXHAUSTED',
  unavailable: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  bad_gateway: 'UNAVAILABLE',
  internal: 'INTERNAL',
};

/** One GenerateContentResponse: its `modelVersion`, `usageMetadata` and error, if any. */
function outcomeOf(o: Obj): CallOutcome {
  const out: CallOutcome = { model: str(o.modelVersion) };
  if (isObj(o.usageMetadata)) out.usage = normalizeGoogleUsage(o.usageMetadata);
  if (isObj(o.error)) out.errorType = str(o.error.status) ?? 'error';
  return out;
}

/** A chunk that ends the answer: a candidate's finishReason, or a prompt Gemini blocked. */
function isLast(o: Obj): boolean {
  const candidates = Array.isArray(o.candidates) ? o.candidates : [];
  return candidates.some((c) => isObj(c) && str(c.finishReason) !== undefined) || (isObj(o.promptFeedback) && str(o.promptFeedback.blockReason) !== undefined);
}

/**
 * `:streamGenerateContent?alt=sse`: every chunk repeats the usage so far, so the last one counts,
 * once (never the sum). Until the chunk that ends the answer, the output count is not final: a
 * stream cut short before it is usage_missing, as an OpenAI or Anthropic stream would be.
 */
class GeminiStreamReader implements StreamReader {
  private readonly out: CallOutcome = {};
  private final = false;

  push(e: SseEvent): void {
    const o = parse(e.data);
    if (!o) return;
    const got = outcomeOf(o);
    this.out.model ??= got.model;
    if (got.usage) this.out.usage = got.usage;
    if (got.errorType) this.out.errorType = got.errorType;
    if (isLast(o)) this.final = true;
  }

  outcome(): CallOutcome {
    return { ...this.out, usagePartial: this.out.usage !== undefined && !this.final };
  }
}

const MODEL_IN_PATH = /\/models\/([^/:]+):[A-Za-z]+$/;

/**
 * Google Gemini API. The model is named by the path (`models/{model}:generateContent`), the key
 * travels in `x-goog-api-key` or `?key=` (kept out of everything LLMLab stores: an event keeps the
 * path without its query). `:countTokens` is free and not recorded.
 */
export const google: ProviderSpec = {
  name: 'google',
  provider: 'google',
  format: 'google',
  baseUrl: (config) => config.upstreams.google,
  readAuth: (headers, target) => headers.get('x-goog-api-key') ?? queryKeyOf(target),
  writeAuth: (headers, key, target) => {
    if (queryKeyOf(target) === undefined) {
      headers['x-goog-api-key'] = key;
      return target;
    }
    const q = target.indexOf('?');
    const query = new URLSearchParams(target.slice(q + 1));
    query.set('key', key);
    return `${target.slice(0, q)}?${query}`;
  },
  errorBody: (kind, message) => ({ error: { code: STATUS_OF[GATEWAY_ERROR_CODES[kind]], message, status: GOOGLE_STATUS[kind] } }),
  readJson: (body) => {
    if (isObj(body)) return outcomeOf(body);
    // :streamGenerateContent without alt=sse answers a JSON array of the chunks: the last usage counts.
    if (!Array.isArray(body)) return {};
    const out: CallOutcome = {};
    for (const chunk of body) {
      if (!isObj(chunk)) continue;
      const got = outcomeOf(chunk);
      out.model ??= got.model;
      if (got.usage) out.usage = got.usage;
      if (got.errorType) out.errorType = got.errorType;
    }
    return out;
  },
  streamReader: () => new GeminiStreamReader(),
  request: {
    modelOf: (path) => {
      const model = MODEL_IN_PATH.exec(path)?.[1];
      return model === undefined ? undefined : decodeURIComponent(model);
    },
    unrecorded: /:countTokens$/,
    streamPath: /:streamGenerateContent$/,
  },
};

function queryKeyOf(target: string): string | undefined {
  const q = target.indexOf('?');
  return q === -1 ? undefined : (new URLSearchParams(target.slice(q + 1)).get('key') ?? undefined);
}
