import { AppError } from '@llmlab/core';
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { API_KEY_PREFIX } from '../auth/secrets.js';
import { type Attribution, AttributionError, parseAttribution } from './attribution.js';
import { callEvent, type FinishedCall } from './call-event.js';
import type { Gateway } from './gateway.js';
import { budgetsFor, estimateCostNanos, reserveBudgets } from './hard-budgets.js';
import { clientHeaders, upstreamHeaders } from './headers.js';
import { type InspectedRequest, inspectRequest } from './inspect-request.js';
import { type ProjectProfile, RESERVE_DEADLINE_MS, withDeadline } from './project-profiles.js';
import type { GatewayErrorKind, ProviderSpec } from './providers.js';
import { readOutcome } from './stream-taps.js';
import { stripUsageChunk } from './stream-taps.js';

/** Default upper bound on a whole call; `x-llmlab-timeout-ms` sets it per request. */
export const UPSTREAM_TIMEOUT_MS = 10 * 60_000;
export const MAX_PROXY_BODY_BYTES = 64 * 1024 * 1024;

function gatewayError(spec: ProviderSpec, status: number, kind: GatewayErrorKind, message: string): Response {
  return new Response(JSON.stringify(spec.errorBody(kind, message)), { status, headers: { 'content-type': 'application/json', 'x-llmlab-gateway-error': kind } });
}

function timeoutOf(headers: Headers): number {
  const asked = Number(headers.get('x-llmlab-timeout-ms'));
  return Number.isInteger(asked) && asked > 0 ? Math.min(asked, UPSTREAM_TIMEOUT_MS) : UPSTREAM_TIMEOUT_MS;
}

/** The request's target: the provider base URL plus the path after /proxy/<provider>, verbatim. */
function targetOf(spec: ProviderSpec, gw: Gateway, url: string): { target: string; path: string } {
  const prefix = `/proxy/${spec.name}`;
  const rest = url.slice(url.indexOf(prefix, url.indexOf('//') + 2) + prefix.length);
  const q = rest.indexOf('?');
  return { target: spec.baseUrl(gw.ctx.config) + rest, path: q === -1 ? rest : rest.slice(0, q) };
}

/** Forwards one call to the provider and records its usage once the response has been relayed. */
export async function proxyCall(gw: Gateway, spec: ProviderSpec, c: Context): Promise<Response> {
  try {
    return await forward(gw, spec, c);
  } catch (err) {
    gw.ctx.log.error('proxy failed', { provider: spec.name, error: String((err as Error)?.stack ?? err) });
    return gatewayError(spec, 500, 'bad_gateway', 'LLMLab proxy: internal error; the server log has the details');
  }
}

async function forward(gw: Gateway, spec: ProviderSpec, c: Context): Promise<Response> {
  const startedAt = gw.ctx.now();
  const started = performance.now();
  const req = c.req.raw;
  const headerKey = req.headers.get('x-llmlab-key')?.trim() || undefined;
  const slot = spec.readAuth(req.headers);
  const slotIsLlmlab = slot?.startsWith(API_KEY_PREFIX) ?? false;
  const key = headerKey ?? (slotIsLlmlab ? slot : undefined);
  if (!key) {
    return gatewayError(spec, 401, 'unauthorized', 'LLMLab proxy: send your LLMLab project key in the x-llmlab-key header (your provider key stays where it is), or as the API key when the project stores a provider key');
  }
  let attribution: Attribution;
  try {
    attribution = parseAttribution(req.headers);
  } catch (err) {
    if (err instanceof AttributionError) return gatewayError(spec, 400, 'bad_request', `LLMLab proxy: ${err.message}`);
    throw err;
  }
  if (Number(req.headers.get('content-length') ?? 0) > MAX_PROXY_BODY_BYTES) {
    return gatewayError(spec, 413, 'too_large', `LLMLab proxy: request body is larger than ${MAX_PROXY_BODY_BYTES / 1024 / 1024} MB`);
  }
  const body = req.body ? new Uint8Array(await req.arrayBuffer()) : null;
  const { target, path } = targetOf(spec, gw, req.url);
  const request = inspectRequest(spec.name, req.method, path, body);

  let lookup: Awaited<ReturnType<typeof gw.profiles.lookup>>;
  try {
    lookup = await gw.profiles.lookup(key);
  } catch (err) {
    if (err instanceof AppError) {
      const forbidden = err.code === 'forbidden';
      return gatewayError(spec, forbidden ? 403 : err.code === 'unavailable' ? 503 : 401, forbidden ? 'forbidden' : err.code === 'unavailable' ? 'unavailable' : 'unauthorized', `LLMLab proxy: ${err.message}`);
    }
    throw err;
  }
  const profile = lookup.status === 'ok' ? lookup.profile : undefined;
  const databaseDown = lookup.status === 'unavailable' || lookup.stale;
  if ((databaseDown || gw.health.down) && profile?.failMode === 'closed') {
    return gatewayError(spec, 503, 'unavailable', 'LLMLab proxy: the LLMLab database is unreachable and this project is set to fail closed; retry shortly');
  }

  const headers = upstreamHeaders(req.headers);
  const stored = profile?.providerKeys[spec.name];
  if (slotIsLlmlab || (!slot && stored)) {
    if (!stored) {
      return profile
        ? gatewayError(spec, 401, 'unauthorized', `LLMLab proxy: this project stores no ${spec.name} key; store one with PUT /api/gateway/provider-keys/${spec.name}, or send your own ${spec.name} key with the LLMLab key in x-llmlab-key`)
        : gatewayError(spec, 503, 'unavailable', `LLMLab proxy: the LLMLab database is unreachable, so the stored ${spec.name} key cannot be read; retry shortly or send your own key with x-llmlab-key`);
    }
    spec.writeAuth(headers, stored);
  }

  let reservationIds: string[] = [];
  if (request.tracked && profile && !databaseDown) {
    const reserved = await reserve(gw, spec, profile, request, attribution, startedAt);
    if (reserved instanceof Response) return reserved;
    reservationIds = reserved;
  }

  const timeoutMs = timeoutOf(req.headers);
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
  const done = () => {
    clearTimeout(timer);
    outgoing?.off('close', onClose);
  };
  const finish = (call: Omit<FinishedCall, 'provider' | 'path' | 'startedAt' | 'latencyMs'>) => {
    done();
    if (!request.tracked) return;
    const event = callEvent(request, attribution, { ...call, provider: spec.name, path, startedAt, latencyMs: performance.now() - started });
    gw.usage.add({ actor: profile?.actor, key, event, reservationIds });
  };

  let upstream: Response;
  try {
    upstream = await fetch(target, { method: req.method, headers, body: request.forwardBody, signal: abort.signal, redirect: 'manual' });
  } catch (err) {
    const errorType = timedOut ? 'timeout' : clientGone ? 'client_closed' : 'upstream_unreachable';
    finish({ httpStatus: 0, errorType, outcome: {} });
    if (timedOut) return gatewayError(spec, 504, 'timeout', `LLMLab proxy: ${spec.name} did not answer within ${timeoutMs} ms`);
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    return gatewayError(spec, 502, 'bad_gateway', `LLMLab proxy: cannot reach ${spec.baseUrl(gw.ctx.config)}: ${cause}`);
  }
  const ttfbMs = Math.round(performance.now() - started);
  const sse = upstream.headers.get('content-type')?.includes('text/event-stream') ?? false;
  const strip = request.usageInjected && sse && upstream.ok;
  const responseHeaders = clientHeaders(upstream.headers, strip);
  const base = { httpStatus: upstream.status, ttfbMs, upstreamRequestId: upstream.headers.get('x-request-id') ?? upstream.headers.get('request-id') ?? undefined };
  if (!upstream.body) {
    finish({ ...base, errorType: upstream.ok ? undefined : `http_${upstream.status}`, outcome: {} });
    return new Response(null, { status: upstream.status, headers: responseHeaders });
  }
  const [toClient, toTap] = upstream.body.tee();
  readOutcome(spec, toTap, sse).then((outcome) => {
    let errorType: string | undefined;
    if (!upstream.ok) errorType = outcome.errorType ?? `http_${upstream.status}`;
    else if (outcome.aborted) errorType = timedOut ? 'timeout' : clientGone ? 'client_closed' : 'upstream_stream_error';
    else errorType = outcome.errorType;
    finish({ ...base, errorType, outcome });
  });
  return new Response(strip ? toClient.pipeThrough(stripUsageChunk()) : toClient, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
}

/** Reserves the call's estimated cost on its hard budgets: the reservation ids, or the 429/503 to answer. */
async function reserve(gw: Gateway, spec: ProviderSpec, profile: ProjectProfile, request: InspectedRequest, attribution: Attribution, now: number): Promise<string[] | Response> {
  const call = { provider: spec.name, model: request.model ?? '', feature: attribution.feature };
  const budgets = budgetsFor(profile, call);
  if (!budgets.length) return [];
  const estimate = estimateCostNanos(profile, call, { input: request.inputTokensEstimate, output: request.outputTokensEstimate }, now);
  try {
    const result = await withDeadline(reserveBudgets(gw.ctx, profile, budgets, estimate, now), RESERVE_DEADLINE_MS);
    gw.health.report(true);
    return result.ok ? result.ids : gatewayError(spec, 429, 'budget_exceeded', result.message);
  } catch (err) {
    gw.health.report(false);
    if (profile.failMode === 'closed') return gatewayError(spec, 503, 'unavailable', 'LLMLab proxy: hard budgets cannot be checked (database unreachable) and this project is set to fail closed; retry shortly');
    gw.ctx.log.warn('hard budgets not enforced: database unreachable (fail-open)', { project_id: profile.actor.projectId, error: (err as Error).message });
    return [];
  }
}
