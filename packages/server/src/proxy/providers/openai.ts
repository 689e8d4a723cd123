import { HOSTED_PROVIDERS, normalizeCompatibleUsage, serviceTierFromAnswer, type CompatibleUsage } from '@llmlab/core';
import type { SseEvent } from '../sse.js';
import { bearer, type CallOutcome, type GatewayErrorKind, isObj, type Obj, parse, type ProviderSpec, type StreamReader, str, writeBearer } from './provider-spec.js';

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

export const openaiErrorBody = (kind: GatewayErrorKind, message: string) => ({ error: { message, type: OPENAI_ERROR[kind].type, param: null, code: OPENAI_ERROR[kind].code } });

/**
 * What an OpenAI-shaped answer (a chat completion, a chunk, a response, an embedding list) tells,
 * with the usage read by the host's own rules (normalizeCompatibleUsage). Groq's older streams
 * put the usage in `x_groq.usage`; OpenRouter adds the credits it charged as `usage.cost`, and
 * Perplexity its citation tokens and searches: kept as metadata.
 */
function outcomeOf(provider: string, o: Obj): CallOutcome {
  const out: CallOutcome = { model: str(o.model) };
  // Chat completions, their chunks and Responses API responses name the tier that served the call at the top level.
  const tier = serviceTierFromAnswer(o.service_tier);
  if (tier) out.serviceTier = tier;
  const usage = isObj(o.usage) ? o.usage : isObj(o.x_groq) && isObj(o.x_groq.usage) ? o.x_groq.usage : undefined;
  if (usage) {
    out.usage = normalizeCompatibleUsage(provider, usage as CompatibleUsage);
    const extras: Record<string, unknown> = {};
    if (typeof usage.cost === 'number') extras.provider_reported_cost_usd = usage.cost;
    if (typeof usage.citation_tokens === 'number') extras.citation_tokens = usage.citation_tokens;
    if (typeof usage.num_search_queries === 'number') extras.search_queries = usage.num_search_queries;
    if (Object.keys(extras).length) out.metadata = extras;
  }
  if (isObj(o.error)) out.errorType = str(o.error.type) ?? str(o.error.code) ?? 'error';
  return out;
}

/** OpenAI chat chunks and Responses API events. */
class OpenAIStreamReader implements StreamReader {
  private readonly out: CallOutcome = {};

  constructor(private readonly provider: string) {}

  push(e: SseEvent): void {
    const { out } = this;
    if (e.data === '[DONE]') return;
    // Only the first chunk (model) and the chunks that carry usage or an error are parsed.
    if (out.model && !USAGE_OR_ERROR.test(e.data)) return;
    const o = parse(e.data);
    if (!o) return;
    // Responses API: the terminal event carries the response with its usage.
    const target = isObj(o.response) ? o.response : o;
    const got = outcomeOf(this.provider, target);
    out.model ??= got.model;
    if (got.model && isObj(o.response)) out.model = got.model;
    // The last answer wins: a Responses stream's terminal response names the tier that served it.
    if (got.serviceTier) out.serviceTier = got.serviceTier;
    if (got.usage) {
      out.usage = got.usage;
      out.metadata = got.metadata;
    }
    if (got.errorType) out.errorType = got.errorType;
    if (o.type === 'error') out.errorType = str(o.code) ?? str((o.error as Obj | undefined)?.type) ?? 'error';
    if (o.type === 'response.failed') out.errorType ??= 'response_failed';
  }

  outcome(): CallOutcome {
    return this.out;
  }
}

/** The rules of a host that speaks OpenAI's API: everything but its name, upstream and usage extras. */
function openaiShaped(name: ProviderSpec['name'], provider: string, baseUrl: ProviderSpec['baseUrl'], askStreamUsage: boolean): ProviderSpec {
  return {
    name,
    provider,
    format: 'openai',
    baseUrl,
    readAuth: bearer,
    writeAuth: writeBearer,
    errorBody: openaiErrorBody,
    readJson: (body) => (isObj(body) ? outcomeOf(provider, body) : {}),
    streamReader: () => new OpenAIStreamReader(provider),
    request: { askStreamUsage },
  };
}

export const openai = openaiShaped('openai', 'openai', (config) => config.openaiBaseUrl, true);

/**
 * Hosts whose chat streams end with the usage without being asked (Mistral, Perplexity,
 * Fireworks, Cerebras): the proxy leaves their requests as sent. The others take OpenAI's
 * `stream_options.include_usage`.
 */
const USAGE_ALWAYS_STREAMED = new Set(['mistral', 'perplexity', 'fireworks', 'cerebras']);

/** Groq, DeepSeek, Mistral, Together, Fireworks, OpenRouter, xAI, Perplexity, Cerebras, Ollama and vLLM. */
export const compatibleHosts: ProviderSpec[] = HOSTED_PROVIDERS.filter((p) => p.openaiCompatible && p.route !== 'openai' && p.route !== 'azure').map((p) =>
  openaiShaped(p.route, p.provider, (config) => config.upstreams[p.route], !USAGE_ALWAYS_STREAMED.has(p.route)),
);

const DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\//;

/**
 * Azure OpenAI: the customer's resource (the project's endpoint, else LLMLAB_AZURE_BASE_URL),
 * the key in `api-key` (or an Entra ID bearer token, passed through). The answer names the model
 * behind the deployment, which is what is priced; the deployment is kept on the event.
 */
export const azure: ProviderSpec = {
  ...openaiShaped('azure', 'azure', (config, profile) => profile?.azureEndpoint ?? config.upstreams.azure, true),
  readAuth: (headers) => headers.get('api-key') ?? bearer(headers),
  writeAuth: (headers, key, target) => {
    delete headers.authorization;
    headers['api-key'] = key;
    return target;
  },
  request: {
    askStreamUsage: true,
    // The deployment stands for the model until the answer names it (hard budgets estimate by it).
    modelOf: (path) => DEPLOYMENT.exec(path)?.[1],
    metadataOf: (path) => {
      const deployment = DEPLOYMENT.exec(path)?.[1];
      return deployment ? { deployment: decodeURIComponent(deployment) } : undefined;
    },
  },
};
