import { AppError } from '@llmlab/core';
import { keyRefusal } from '../auth/key-rules.js';
import { API_KEY_PREFIX } from '../auth/secrets.js';
import { type Attribution, AttributionError, parseAttribution } from './attribution.js';
import type { Gateway } from './gateway.js';
import { budgetsFor, estimateCostNanos, recentCostNanos, reserveBudgets } from './hard-budgets.js';
import { type RequestHeaders, upstreamHeaders } from './headers.js';
import { type InspectedRequest, inspectRequest } from './inspect-request.js';
import { baseUrlSetting } from '../config/config.js';
import { withDeadline } from '../db/errors.js';
import { type ProjectProfile, RESERVE_DEADLINE_MS } from './project-profiles.js';
import type { ProviderSpec } from './providers.js';
import { type AdmittedCall, BodyTooLarge, gatewayError, type ProxyRequest } from './proxy-call.js';
import { relay } from './relay.js';
import { checkRateLimits } from '../rate-limits/check-rate-limits.js';
import { consultCache } from '../response-cache/consult-cache.js';

/** Default upper bound on a whole call; `x-llmlab-timeout-ms` sets it per request. */
export const UPSTREAM_TIMEOUT_MS = 10 * 60_000;
export const MAX_PROXY_BODY_BYTES = 64 * 1024 * 1024;

function timeoutOf(headers: RequestHeaders): number {
  const asked = Number(headers.get('x-llmlab-timeout-ms'));
  return Number.isInteger(asked) && asked > 0 ? Math.min(asked, UPSTREAM_TIMEOUT_MS) : UPSTREAM_TIMEOUT_MS;
}

/** The path after /proxy/<provider>, verbatim with its query (it follows the provider's base URL), and without the query. */
function targetOf(spec: ProviderSpec, requestPath: string): { target: string; path: string } {
  const target = requestPath.slice('/proxy/'.length + spec.name.length);
  const q = target.indexOf('?');
  return { target, path: q === -1 ? target : target.slice(0, q) };
}

function tooLarge(spec: ProviderSpec): Response {
  return gatewayError(spec, 'too_large', `LLMLab proxy: request body is larger than ${MAX_PROXY_BODY_BYTES / 1024 / 1024} MB`);
}

/** Forwards one call to the provider and records its usage once the response has been relayed. */
export async function proxyCall(gw: Gateway, spec: ProviderSpec, req: ProxyRequest): Promise<Response> {
  try {
    const call = await admit(gw, spec, req);
    return call instanceof Response ? call : await relay(gw, spec, req, call);
  } catch (err) {
    gw.ctx.log.error('proxy failed', { provider: spec.name, error: String((err as Error)?.stack ?? err) });
    return gatewayError(spec, 'internal', 'LLMLab proxy: internal error; the server log has the details');
  }
}

/** Who calls, for what, and whether the call may go: the admitted call, or the error to answer. */
async function admit(gw: Gateway, spec: ProviderSpec, req: ProxyRequest): Promise<AdmittedCall | Response> {
  const startedAt = gw.ctx.now();
  const started = performance.now();
  const headerKey = req.headers.get('x-llmlab-key')?.trim() || undefined;
  const { target: clientTarget, path } = targetOf(spec, req.path);
  const slot = spec.readAuth(req.headers, clientTarget);
  const slotIsLlmlab = slot?.startsWith(API_KEY_PREFIX) ?? false;
  const key = headerKey ?? (slotIsLlmlab ? slot : undefined);
  if (!key) {
    return gatewayError(spec, 'unauthorized', 'LLMLab proxy: send your LLMLab project key in the x-llmlab-key header (your provider key stays where it is), or as the API key when the project stores a provider key');
  }
  let attribution: Attribution;
  try {
    attribution = parseAttribution(req.headers);
  } catch (err) {
    if (err instanceof AttributionError) return gatewayError(spec, 'bad_request', `LLMLab proxy: ${err.message}`);
    throw err;
  }
  if (Number(req.headers.get('content-length') ?? 0) > MAX_PROXY_BODY_BYTES) return tooLarge(spec);
  let body: Uint8Array<ArrayBuffer> | null = null;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    try {
      body = await req.body();
    } catch (err) {
      if (err instanceof BodyTooLarge) return tooLarge(spec);
      throw err;
    }
  }
  const request = inspectRequest(spec, req.method, path, body);
  // A fresh cached profile answers at once; only a miss or an expired one waits for the database.
  let lookup = gw.profiles.fresh(key);
  if (!lookup) {
    try {
      lookup = await gw.profiles.lookup(key);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'forbidden') return gatewayError(spec, 'forbidden', `LLMLab proxy: ${err.message}`);
      if (err.code === 'unavailable') return gatewayError(spec, 'unavailable', `LLMLab proxy: ${err.message}`);
      return gatewayError(spec, 'unauthorized', `LLMLab proxy: ${err.message}`);
    }
  }
  const profile = lookup.status === 'ok' ? lookup.profile : undefined;
  const databaseDown = lookup.status === 'unavailable' || lookup.stale;
  if ((databaseDown || gw.health.down) && profile?.failMode === 'closed') {
    return gatewayError(spec, 'unavailable', 'LLMLab proxy: the LLMLab database is unreachable and this project is set to fail closed; retry shortly');
  }
  const baseUrl = spec.baseUrl(gw.ctx.config, profile);
  if (!baseUrl) {
    return gatewayError(spec, 'bad_request', `LLMLab proxy: no ${spec.name} endpoint is set: set the project's azure_endpoint (PATCH /api/gateway/settings) or ${baseUrlSetting(spec.name)} on the LLMLab server`);
  }
  const headers = upstreamHeaders(req.headers);
  let target = clientTarget;
  const stored = profile?.providerKeys[spec.name];
  if (stored instanceof AppError) return gatewayError(spec, 'unavailable', `LLMLab proxy: ${stored.message}`);
  if (slotIsLlmlab || (!slot && stored)) {
    if (!stored) {
      return profile
        ? gatewayError(spec, 'unauthorized', `LLMLab proxy: this project stores no ${spec.name} key; store one with PUT /api/gateway/provider-keys/${spec.name}, or send your own ${spec.name} key with the LLMLab key in x-llmlab-key`)
        : gatewayError(spec, 'unavailable', `LLMLab proxy: the LLMLab database is unreachable, so the stored ${spec.name} key cannot be read; retry shortly or send your own key with x-llmlab-key`);
    }
    target = spec.writeAuth(headers, stored, target);
  }
  const deployment = request.pathMetadata?.deployment;
  const deployedModel = profile && typeof deployment === 'string' ? gw.deployments.modelOf(profile.actor.projectId, deployment) : undefined;
  if (deployedModel) request.knowModel(deployedModel);
  // A key limited to some models may still list models or read files: only calls that use a model are judged by it.
  const refusal = keyRefusal(profile?.actor.keyRules, spec.provider, request.tracked ? request.model : undefined);
  if (refusal) return gatewayError(spec, 'forbidden', refusal);
  // A cached answer costs nothing and reaches no provider: it is served before rate limits and budgets.
  const cache = await consultCache(gw, { spec, method: req.method, headers: req.headers, request, target, path, profile, key, attribution, databaseDown, startedAt, started, outgoing: req.outgoing });
  if (cache instanceof Response) return cache;
  const rateLimitHeaders = await checkRateLimits(gw, spec, { profile, request, attribution, now: startedAt, databaseDown });
  if (rateLimitHeaders instanceof Response) return rateLimitHeaders;
  let reservationIds: string[] = [];
  // Only a hard budget needs the body read before it goes (see InspectedRequest).
  if (profile?.hardBudgets.length && !databaseDown && request.tracked) {
    const reserved = await reserve(gw, spec, profile, request, attribution, startedAt);
    if (reserved instanceof Response) return reserved;
    reservationIds = reserved;
  }
  return { key, attribution, request, baseUrl, target, path, profile, headers, reservationIds, rateLimitHeaders, cache, timeoutMs: timeoutOf(req.headers), startedAt, started };
}

/** Reserves the call's estimated cost on its hard budgets: the reservation ids, or the 429/503 to answer. */
async function reserve(gw: Gateway, spec: ProviderSpec, profile: ProjectProfile, request: InspectedRequest, attribution: Attribution, now: number): Promise<string[] | Response> {
  const call = { provider: spec.provider, model: request.model ?? '', feature: attribution.feature, endUser: attribution.user_id, apiKeyId: profile.actor.keyId, tags: attribution.tags };
  const budgets = budgetsFor(profile, call);
  if (!budgets.length) return [];
  const fromBody = estimateCostNanos(profile, call, { input: request.inputTokensEstimate, output: request.outputTokensEstimate }, now);
  try {
    const reservation = async () => reserveBudgets(gw.ctx, profile, budgets, Math.max(fromBody, await recentCostNanos(gw.ctx, profile, call, now)), now);
    const result = await withDeadline(reservation(), RESERVE_DEADLINE_MS);
    gw.health.report(true);
    return result.ok ? result.ids : gatewayError(spec, 'budget_exceeded', result.message);
  } catch (err) {
    gw.health.report(false);
    if (profile.failMode === 'closed') return gatewayError(spec, 'unavailable', 'LLMLab proxy: hard budgets cannot be checked (database unreachable) and this project is set to fail closed; retry shortly');
    gw.ctx.log.warn('hard budgets not enforced: database unreachable (fail-open)', { project_id: profile.actor.projectId, error: (err as Error).message });
    return [];
  }
}
