import { type ErrorCode, normalizeAnthropicUsage, normalizeOpenAIUsage, type TokenUsage } from '@llmlab/core';
import type { Config } from '../config/config.js';
import type { GatewayProvider } from '../gateway-keys/provider-keys.js';
import type { RequestHeaders, UpstreamHeaders } from './headers.js';
import type { SseEvent, SseSink } from './sse.js';

/** What a response told us: the model that answered, its usage, and the error type if it failed. */
export interface CallOutcome {
  model?: string;
  usage?: TokenUsage;
  /** The usage is only what a stream told before it broke off (Anthropic's message_start, without message_delta). */
  usagePartial?: boolean;
  errorType?: string;
}

/** The kinds of errors the gateway itself answers with, mapped to each provider's own vocabulary. */
/** The proxy's own errors (sent in `x-llmlab-gateway-error`), each an LLMLab error code for its status. */
export const GATEWAY_ERROR_CODES = {
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  bad_request: 'bad_request',
  too_large: 'payload_too_large',
  budget_exceeded: 'budget_exceeded',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  timeout: 'gateway_timeout',
  bad_gateway: 'bad_gateway',
  internal: 'internal',
} as const satisfies Record<string, ErrorCode>;
export type GatewayErrorKind = keyof typeof GATEWAY_ERROR_CODES;

export interface ProviderSpec {
  name: GatewayProvider;
  baseUrl(config: Config): string;
  /** The provider-auth header the client's SDK fills in, read for an LLMLab key and replaced by the stored key. */
  readAuth(headers: RequestHeaders): string | undefined;
  writeAuth(headers: UpstreamHeaders, key: string): void;
  /** The gateway's own error, in the body shape the provider's SDK parses. */
  errorBody(kind: GatewayErrorKind, message: string): unknown;
  /** Streaming state: takes the SSE events, says what they told. */
  streamReader(): StreamReader;
  readJson(body: unknown): CallOutcome;
}

/** Reads a stream's events as they pass and says what they told. */
export interface StreamReader extends SseSink {
  outcome(): CallOutcome;
}

const bearer = (headers: RequestHeaders) => headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function parse(data: string): Obj | undefined {
  try {
    const v = JSON.parse(data) as unknown;
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const USAGE_OR_ERROR = /"(usage|error)":\s*\{/;

const OPENAI_ERROR: Record<GatewayErrorKind, { type: string; code: string }> = {
  unauthorized: { type: 'invalid_request_error', code: 'invalid_api_key' },
  forbidden: { type: 'invalid_request_error', code: 'insufficient_permissions' },
  bad_request: { type: 'invalid_request_error', code: 'invalid_request' },
  too_large: { type: 'invalid_request_error', code: 'request_too_large' },
  budget_exceeded: { type: 'insufficient_quota', code: 'budget_exceeded' },
  rate_limited: { type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' },
  unavailable: { type: 'server_error', code: 'service_unavailable' },
  timeout: { type: 'timeout', code: 'upstream_timeout' },
  bad_gateway: { type: 'server_error', code: 'upstream_unreachable' },
  internal: { type: 'server_error', code: 'internal_error' },
};

const ANTHROPIC_ERROR: Record<GatewayErrorKind, string> = {
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  bad_request: 'invalid_request_error',
  too_large: 'request_too_large',
  budget_exceeded: 'rate_limit_error',
  rate_limited: 'rate_limit_error',
  unavailable: 'overloaded_error',
  timeout: 'timeout_error',
  bad_gateway: 'api_error',
  internal: 'api_error',
};

function openaiOutcome(o: Obj): CallOutcome {
  const out: CallOutcome = { model: str(o.model) };
  if (isObj(o.usage)) out.usage = normalizeOpenAIUsage(o.usage);
  if (isObj(o.error)) out.errorType = str(o.error.type) ?? str(o.error.code) ?? 'error';
  return out;
}

/** OpenAI chat chunks and Responses API events. */
class OpenAIStreamReader implements StreamReader {
  private readonly out: CallOutcome = {};

  push(e: SseEvent): void {
    const { out } = this;
    if (e.data === '[DONE]') return;
    // Only the first chunk (model) and the chunks that carry usage or an error are parsed.
    if (out.model && !USAGE_OR_ERROR.test(e.data)) return;
    const o = parse(e.data);
    if (!o) return;
    // Responses API: the terminal event carries the response with its usage.
    const target = isObj(o.response) ? o.response : o;
    const got = openaiOutcome(target);
    out.model ??= got.model;
    if (got.model && isObj(o.response)) out.model = got.model;
    if (got.usage) out.usage = got.usage;
    if (got.errorType) out.errorType = got.errorType;
    if (o.type === 'error') out.errorType = str(o.code) ?? str((o.error as Obj | undefined)?.type) ?? 'error';
    if (o.type === 'response.failed') out.errorType ??= 'response_failed';
  }

  outcome(): CallOutcome {
    return this.out;
  }
}

/** Anthropic message events: message_start carries the model and the prompt's usage, message_delta the rest. */
class AnthropicStreamReader implements StreamReader {
  private model: string | undefined;
  private raw: Obj | undefined;
  /** message_delta arrived: the output count is final. */
  private final = false;
  private errorType: string | undefined;

  push(e: SseEvent): void {
    const kind = e.event ?? '';
    if (kind !== 'message_start' && kind !== 'message_delta' && kind !== 'error') return;
    const o = parse(e.data);
    if (!o) return;
    if (kind === 'message_start' && isObj(o.message)) {
      this.model = str(o.message.model);
      if (isObj(o.message.usage)) this.raw = { ...o.message.usage };
    } else if (kind === 'message_delta' && isObj(o.usage)) {
      // message_delta usage is cumulative: its fields replace message_start's.
      this.raw = { ...this.raw, ...Object.fromEntries(Object.entries(o.usage).filter(([, v]) => v !== null)) };
      this.final = true;
    } else if (kind === 'error') {
      this.errorType = str((o.error as Obj | undefined)?.type) ?? 'error';
    }
  }

  outcome(): CallOutcome {
    return { model: this.model, usage: this.raw ? normalizeAnthropicUsage(this.raw) : undefined, usagePartial: this.raw !== undefined && !this.final, errorType: this.errorType };
  }
}

export const openai: ProviderSpec = {
  name: 'openai',
  baseUrl: (config) => config.openaiBaseUrl,
  readAuth: bearer,
  writeAuth: (headers, key) => {
    headers.authorization = `Bearer ${key}`;
  },
  errorBody: (kind, message) => ({ error: { message, type: OPENAI_ERROR[kind].type, param: null, code: OPENAI_ERROR[kind].code } }),
  readJson: (body) => (isObj(body) ? openaiOutcome(body) : {}),
  streamReader: () => new OpenAIStreamReader(),
};

export const anthropic: ProviderSpec = {
  name: 'anthropic',
  baseUrl: (config) => config.anthropicBaseUrl,
  readAuth: (headers) => headers.get('x-api-key') ?? bearer(headers),
  writeAuth: (headers, key) => {
    delete headers.authorization;
    headers['x-api-key'] = key;
  },
  errorBody: (kind, message) => ({ type: 'error', error: { type: ANTHROPIC_ERROR[kind], message } }),
  readJson: (body) => {
    if (!isObj(body)) return {};
    return {
      model: str(body.model),
      usage: isObj(body.usage) ? normalizeAnthropicUsage(body.usage) : undefined,
      errorType: isObj(body.error) ? (str(body.error.type) ?? 'error') : undefined,
    };
  },
  streamReader: () => new AnthropicStreamReader(),
};

export const PROVIDERS: Record<GatewayProvider, ProviderSpec> = { openai, anthropic };
