import { createHash } from 'node:crypto';
import type { GatewayProvider } from '../gateway-keys/provider-keys.js';

/** Output tokens reserved against a hard budget when the request sets no max_tokens. */
export const DEFAULT_OUTPUT_ESTIMATE = 4096;

/** What the proxy learns from a request body before forwarding it. */
export interface InspectedRequest {
  /** A JSON call naming a model: its usage is recorded and hard budgets apply. */
  tracked: boolean;
  model?: string;
  stream: boolean;
  /** Prompt text length / 4, a deliberate over-estimate of the tokens of JSON text. */
  inputTokensEstimate: number;
  outputTokensEstimate: number;
  /** The body as the client sent it (see requestHashOf). */
  clientBody: Uint8Array<ArrayBuffer> | null;
  /** The body sent upstream: the client's bytes, unless usage reporting had to be switched on. */
  forwardBody: Uint8Array<ArrayBuffer> | null;
  /** True when the proxy added `stream_options.include_usage` the client had not asked for. */
  usageInjected: boolean;
}

type Obj = Record<string, unknown>;

/** Characters of prompt text: every string except the model name and inline binary data. */
function textLength(value: unknown, key = ''): number {
  if (typeof value === 'string') return key === 'data' || key === 'model' || value.startsWith('data:') ? 0 : value.length;
  if (Array.isArray(value)) return value.reduce<number>((sum, v) => sum + textLength(v), 0);
  if (value && typeof value === 'object') return Object.entries(value).reduce((sum, [k, v]) => sum + textLength(v, k), 0);
  return 0;
}

function positiveInt(...values: unknown[]): number | undefined {
  for (const v of values) if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  return undefined;
}

/** OpenAI streams report usage only when asked: chat and legacy completions accept stream_options. */
function acceptsStreamOptions(path: string): boolean {
  return /\/(chat\/)?completions$/.test(path);
}

/**
 * SHA-256 (hex) of the body as the client sent it, so repeated prompts can be spotted. Computed
 * when the call is recorded, off the path between the client and the provider.
 */
export function requestHashOf(request: InspectedRequest): string | undefined {
  return request.clientBody?.byteLength ? createHash('sha256').update(request.clientBody).digest('hex') : undefined;
}

export function inspectRequest(provider: GatewayProvider, method: string, path: string, body: Uint8Array<ArrayBuffer> | null): InspectedRequest {
  const untracked: InspectedRequest = { tracked: false, stream: false, inputTokensEstimate: 0, outputTokensEstimate: 0, clientBody: body, forwardBody: body, usageInjected: false };
  if (!body || body.byteLength === 0) return untracked;
  let parsed: unknown;
  try {
    parsed = method === 'POST' && body[0] === 0x7b ? JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  const json = parsed as Obj | undefined;
  if (!json || typeof json.model !== 'string' || json.model === '' || path.endsWith('/count_tokens')) return untracked;
  const stream = json.stream === true;
  const embeddings = path.endsWith('/embeddings');
  const maxOut = positiveInt(json.max_tokens, json.max_completion_tokens, json.max_output_tokens);
  const choices = positiveInt(json.n) || 1;
  let forwardBody = body;
  let usageInjected = false;
  const streamOptions = json.stream_options as Obj | undefined;
  if (provider === 'openai' && stream && acceptsStreamOptions(path) && streamOptions?.include_usage !== true) {
    json.stream_options = { ...streamOptions, include_usage: true };
    forwardBody = new TextEncoder().encode(JSON.stringify(json));
    usageInjected = true;
  }
  return {
    tracked: true,
    model: json.model,
    stream,
    // Walking a long prompt costs time; only hard budgets need the estimate, so it is made when read.
    get inputTokensEstimate() {
      return Math.ceil(textLength(json) / 4);
    },
    outputTokensEstimate: embeddings ? 0 : (maxOut ?? DEFAULT_OUTPUT_ESTIMATE) * choices,
    clientBody: body,
    forwardBody,
    usageInjected,
  };
}
