import { hash } from 'node:crypto';
import type { ProviderSpec, RequestRules } from './providers.js';

/** Output tokens reserved against a hard budget when the request sets no max_tokens. */
export const DEFAULT_OUTPUT_ESTIMATE = 4096;

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

/** Endpoints that answer with no generated tokens. */
const EMBEDDING_PATHS = /(\/embeddings|\/embed|:embedContent|:batchEmbedContents)$/;

const STREAM_KEY = Buffer.from('"stream"');
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * Whether a JSON body may hold a "stream" key. In JSON text the key is spelled out, unless its
 * letters are written as \u escapes (no other escape makes a letter), so a body with neither
 * certainly has none.
 */
function mayStream(body: Uint8Array<ArrayBuffer>): boolean {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return bytes.includes(STREAM_KEY) || bytes.includes(UNICODE_ESCAPE);
}

/** The body as a JSON object, or undefined when it is not one. */
function parseObject(method: string, body: Uint8Array<ArrayBuffer> | null): Obj | undefined {
  if (method !== 'POST' || !body || body.byteLength === 0 || body[0] !== 0x7b) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Obj) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the proxy learns from a request body. Reading a long prompt's JSON takes time, so the body
 * is parsed before it is forwarded only when something on the way needs it: an OpenAI stream
 * that may have to be asked for usage, or a hard budget (which reads the model and estimates).
 * Otherwise the client's bytes go to the provider as they are and the body is parsed when the
 * call is recorded.
 */
export class InspectedRequest {
  /** The body sent upstream: the client's bytes, unless usage reporting had to be switched on. */
  readonly forwardBody: Uint8Array<ArrayBuffer> | null;
  /** True when the proxy added `stream_options.include_usage` the client had not asked for. */
  readonly usageInjected: boolean = false;
  private json: Obj | undefined | null = null;

  /** The catalog provider id the call is recorded under. */
  readonly provider: string;
  private readonly rules: RequestRules;

  constructor(
    spec: Pick<ProviderSpec, 'provider' | 'request'>,
    readonly method: string,
    readonly path: string,
    /** The body as the client sent it (see requestHashOf). */
    readonly clientBody: Uint8Array<ArrayBuffer> | null,
  ) {
    this.provider = spec.provider;
    this.rules = spec.request;
    this.forwardBody = clientBody;
    if (!this.rules.askStreamUsage || !clientBody || !acceptsStreamOptions(path) || !mayStream(clientBody)) return;
    const json = this.parsed();
    const streamOptions = json?.stream_options as Obj | undefined;
    if (this.tracked && json?.stream === true && streamOptions?.include_usage !== true) {
      json.stream_options = { ...streamOptions, include_usage: true };
      this.forwardBody = new TextEncoder().encode(JSON.stringify(json));
      this.usageInjected = true;
    }
  }

  private parsed(): Obj | undefined {
    if (this.json === null) this.json = parseObject(this.method, this.clientBody);
    return this.json;
  }

  /** A call naming a model (in its JSON body, or in its path for Gemini and Azure): its usage is recorded and hard budgets apply. */
  get tracked(): boolean {
    return this.model !== undefined && !this.rules.unrecorded?.test(this.path);
  }

  /** The model behind the path's name, once learned from earlier answers (an Azure deployment's model): budgets, limits and key rules judge by it. */
  private learned: string | undefined;

  /** Sets the model a deployment named in the path is known to answer with. */
  knowModel(model: string): void {
    this.learned = model;
  }

  get model(): string | undefined {
    if (this.learned) return this.learned;
    const fromPath = this.method === 'POST' ? this.rules.modelOf?.(this.path) : undefined;
    if (fromPath) return fromPath;
    const model = this.parsed()?.model;
    return typeof model === 'string' && model !== '' ? model : undefined;
  }

  get stream(): boolean {
    return this.rules.streamPath?.test(this.path) === true || this.parsed()?.stream === true;
  }

  /** Facts of the path kept on the call's event (an Azure deployment). */
  get pathMetadata(): Record<string, unknown> | undefined {
    return this.rules.metadataOf?.(this.path);
  }

  /** The body as a JSON object (with `stream_options.include_usage` on when the proxy switched it on), or undefined; read it, never change it. */
  get parsedBody(): Obj | undefined {
    return this.parsed();
  }

  /** Prompt text length / 4, a deliberate over-estimate of the tokens of JSON text. */
  get inputTokensEstimate(): number {
    return this.tracked ? Math.ceil(textLength(this.parsed()) / 4) : 0;
  }

  get outputTokensEstimate(): number {
    const json = this.parsed();
    if (!json || !this.tracked || EMBEDDING_PATHS.test(this.path)) return 0;
    const generation = json.generationConfig as Obj | undefined;
    const maxOut = positiveInt(json.max_tokens, json.max_completion_tokens, json.max_output_tokens, generation?.maxOutputTokens);
    return (maxOut ?? DEFAULT_OUTPUT_ESTIMATE) * (positiveInt(json.n, generation?.candidateCount) || 1);
  }
}

/**
 * SHA-256 (hex) of the body as the client sent it, so repeated prompts can be spotted. Computed
 * when the call is recorded, off the path between the client and the provider.
 */
export function requestHashOf(request: InspectedRequest): string | undefined {
  return request.clientBody?.byteLength ? hash('sha256', request.clientBody, 'hex') : undefined;
}

export function inspectRequest(spec: Pick<ProviderSpec, 'provider' | 'request'>, method: string, path: string, body: Uint8Array<ArrayBuffer> | null): InspectedRequest {
  return new InspectedRequest(spec, method, path, body);
}
