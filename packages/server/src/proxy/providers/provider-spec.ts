import type { ErrorCode, GatewayProvider, ServiceTier, TokenUsage, UsageFormat } from '@llmlab/core';
import type { Config } from '../../config/config.js';
import type { RequestHeaders, UpstreamHeaders } from '../headers.js';
import type { ProjectProfile } from '../project-profiles.js';
import type { SseSink } from '../sse.js';

/** What a response told us: the model that answered, its usage, and the error type if it failed. */
export interface CallOutcome {
  model?: string;
  usage?: TokenUsage;
  /** The usage is only what a stream told before it broke off (Anthropic's message_start, without message_delta). */
  usagePartial?: boolean;
  errorType?: string;
  /** Facts of the answer kept on the event (OpenRouter's requested model, Perplexity's searches...). */
  metadata?: Record<string, unknown>;
  /** The tier the answer says served the call (OpenAI's `service_tier`, Anthropic's `usage.service_tier`). */
  serviceTier?: ServiceTier;
}

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

/** How a provider's requests read, where they differ from OpenAI's (the model in the body, `stream: true`). */
export interface RequestRules {
  /** The model a POST to this path names, when the path names it (Gemini's models/{model}:generateContent, an Azure deployment). */
  modelOf?(path: string): string | undefined;
  /** Paths that cost nothing and are not recorded (token counting). */
  unrecorded?: RegExp;
  /** Paths that stream whatever the body says (Gemini's :streamGenerateContent). */
  streamPath?: RegExp;
  /** OpenAI-style chat streams report usage only when asked: the proxy asks (stream_options.include_usage) and hides the extra chunk. */
  askStreamUsage?: boolean;
  /** Facts of the request path kept on the event (an Azure deployment). */
  metadataOf?(path: string): Record<string, unknown> | undefined;
}

export interface ProviderSpec {
  /** The route: /proxy/<name>/, a stored key's provider, LLMLAB_<NAME>_BASE_URL. */
  name: GatewayProvider;
  /** The catalog provider id its calls are stored, priced, budgeted and limited under (`xai` -> `x-ai`). */
  provider: string;
  /** The shape of its answers, which decides what the response cache can replay. */
  format: UsageFormat;
  /** Where calls go; undefined when nothing is configured (Azure without an endpoint). */
  baseUrl(config: Config, profile: ProjectProfile | undefined): string | undefined;
  /** The provider credential the client sent (checked for an LLMLab key, replaced by a stored key). */
  readAuth(headers: RequestHeaders, target: string): string | undefined;
  /** Puts the stored key where the provider reads it; answers the target to send (Gemini's key may travel in the query). */
  writeAuth(headers: UpstreamHeaders, key: string, target: string): string;
  /** The gateway's own error, in the body shape the provider's SDK parses. */
  errorBody(kind: GatewayErrorKind, message: string): unknown;
  /** Streaming state: takes the SSE events, says what they told. */
  streamReader(): StreamReader;
  readJson(body: unknown): CallOutcome;
  request: RequestRules;
}

/** Reads a stream's events as they pass and says what they told. */
export interface StreamReader extends SseSink {
  outcome(): CallOutcome;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
export const bearer = (headers: RequestHeaders) => headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];

export function parse(data: string): Obj | undefined {
  try {
    const v = JSON.parse(data) as unknown;
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Sets `Authorization: Bearer <key>`, the credential of OpenAI and the hosts that copy its API. */
export function writeBearer(headers: UpstreamHeaders, key: string, target: string): string {
  headers.authorization = `Bearer ${key}`;
  return target;
}
