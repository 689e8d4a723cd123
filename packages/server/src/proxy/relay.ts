import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { Attribution } from './attribution.js';
import { callEvent, type FinishedCall } from './call-event.js';
import type { Gateway } from './gateway.js';
import { clientHeaders } from './headers.js';
import type { InspectedRequest } from './inspect-request.js';
import type { ProjectProfile } from './project-profiles.js';
import type { GatewayErrorKind, ProviderSpec } from './providers.js';
import { readOutcome, stripUsageChunk } from './stream-taps.js';

/** A call the gateway let through: where it goes, what it carries, and who pays. */
export interface AdmittedCall {
  key: string;
  attribution: Attribution;
  request: InspectedRequest;
  target: string;
  path: string;
  profile?: ProjectProfile;
  headers: Headers;
  reservationIds: string[];
  timeoutMs: number;
  startedAt: number;
  started: number;
}

export function gatewayError(spec: ProviderSpec, status: number, kind: GatewayErrorKind, message: string): Response {
  return new Response(JSON.stringify(spec.errorBody(kind, message)), { status, headers: { 'content-type': 'application/json', 'x-llmlab-gateway-error': kind } });
}

/**
 * Sends the call upstream and relays the answer as it arrives. The response body is tee'd: one
 * branch goes to the client untouched (or minus the usage chunk the proxy asked for), the other
 * is read for usage, and the call is recorded once that branch ends. A client hang-up or the
 * timeout aborts the upstream request.
 */
export async function relay(gw: Gateway, spec: ProviderSpec, c: Context, call: AdmittedCall): Promise<Response> {
  const { request, timeoutMs } = call;
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort(new Error(`no complete answer within ${timeoutMs} ms`));
  }, timeoutMs);
  // The Node response tells when the client hangs up (cheaper than the Request's AbortSignal).
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  let clientGone = false;
  const onClose = () => {
    if (outgoing?.writableFinished) return;
    clientGone = true;
    abort.abort(new Error('client closed the connection'));
  };
  outgoing?.once('close', onClose);
  const finish = (result: Omit<FinishedCall, 'provider' | 'path' | 'startedAt' | 'latencyMs'>) => {
    clearTimeout(timer);
    outgoing?.off('close', onClose);
    if (!request.tracked) return;
    const event = callEvent(request, call.attribution, { ...result, provider: spec.name, path: call.path, startedAt: call.startedAt, latencyMs: performance.now() - call.started });
    gw.usage.add({ actor: call.profile?.actor, key: call.key, event, reservationIds: call.reservationIds });
  };

  let upstream: Response;
  try {
    upstream = await fetch(call.target, { method: c.req.method, headers: call.headers, body: request.forwardBody, signal: abort.signal, redirect: 'manual' });
  } catch (err) {
    finish({ httpStatus: 0, errorType: timedOut ? 'timeout' : clientGone ? 'client_closed' : 'upstream_unreachable', outcome: {} });
    if (timedOut) return gatewayError(spec, 504, 'timeout', `LLMLab proxy: ${spec.name} did not answer within ${timeoutMs} ms`);
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    return gatewayError(spec, 502, 'bad_gateway', `LLMLab proxy: cannot reach ${spec.baseUrl(gw.ctx.config)}: ${cause}`);
  }
  const ttfbMs = Math.round(performance.now() - call.started);
  const sse = upstream.headers.get('content-type')?.includes('text/event-stream') ?? false;
  const strip = request.usageInjected && sse && upstream.ok;
  const headers = clientHeaders(upstream.headers, strip);
  const base = { httpStatus: upstream.status, ttfbMs, upstreamRequestId: upstream.headers.get('x-request-id') ?? upstream.headers.get('request-id') ?? undefined };
  if (!upstream.body) {
    finish({ ...base, errorType: upstream.ok ? undefined : `http_${upstream.status}`, outcome: {} });
    return new Response(null, { status: upstream.status, headers });
  }
  const [toClient, toTap] = upstream.body.tee();
  readOutcome(spec, toTap, sse).then((outcome) => {
    let errorType: string | undefined;
    if (!upstream.ok) errorType = outcome.errorType ?? `http_${upstream.status}`;
    else if (outcome.aborted) errorType = timedOut ? 'timeout' : clientGone ? 'client_closed' : 'upstream_stream_error';
    else errorType = outcome.errorType;
    finish({ ...base, errorType, outcome });
  });
  return new Response(strip ? toClient.pipeThrough(stripUsageChunk()) : toClient, { status: upstream.status, statusText: upstream.statusText, headers });
}
