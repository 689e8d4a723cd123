import type { ServerResponse } from 'node:http';
import { STATUS_OF } from '../http/errors.js';
import type { Attribution } from './attribution.js';
import type { RequestHeaders, UpstreamHeaders } from './headers.js';
import type { InspectedRequest } from './inspect-request.js';
import type { CachePlan } from '../response-cache/cache-policy.js';
import type { ProjectProfile } from './project-profiles.js';
import { GATEWAY_ERROR_CODES, type GatewayErrorKind, type ProviderSpec } from './providers.js';

/** A request to the gateway, from Hono (in-process use) or straight from the Node server (see node-entry.ts). */
export interface ProxyRequest {
  method: string;
  /** The path and query as the client sent them, starting with /proxy/<provider>/. */
  path: string;
  headers: RequestHeaders;
  /** The whole body; from the Node server it rejects with BodyTooLarge past MAX_PROXY_BODY_BYTES, whatever content-length said. */
  body(): Promise<Uint8Array<ArrayBuffer>>;
  /** The Node response when the real server runs: the answer is written to it directly. */
  outgoing?: ServerResponse;
}

/** A body that grew past MAX_PROXY_BODY_BYTES while it was read (chunked, so no content-length to refuse it by). */
export class BodyTooLarge extends Error {}

/** A call the gateway let through: where it goes, what it carries, and who pays. */
export interface AdmittedCall {
  key: string;
  attribution: Attribution;
  request: InspectedRequest;
  /** The provider's address for this call (the project's Azure endpoint, or the server's setting). */
  baseUrl: string;
  /** The path and query for the provider, after its base URL. */
  target: string;
  path: string;
  profile?: ProjectProfile;
  headers: UpstreamHeaders;
  reservationIds: string[];
  /** What is left of the project's rate limits (x-ratelimit-*), added to the answer's headers; see rate-limits/rate-limit-headers.ts. */
  rateLimitHeaders?: Record<string, string>;
  /** Set when caching was asked for and the cache did not answer: whether the answer is stored (see response-cache/). */
  cache?: CachePlan;
  timeoutMs: number;
  startedAt: number;
  started: number;
}

/** The proxy's own error, in the provider's body shape, with the status of its LLMLab error code (http/errors.ts). */
export function gatewayError(spec: ProviderSpec, kind: GatewayErrorKind, message: string): Response {
  return new Response(JSON.stringify(spec.errorBody(kind, message)), {
    status: STATUS_OF[GATEWAY_ERROR_CODES[kind]],
    headers: { 'content-type': 'application/json', 'x-llmlab-gateway-error': kind },
  });
}
