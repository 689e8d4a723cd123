/**
 * The providers the gateway and the SDK know by their API's address: each one's route id (the
 * `/proxy/<id>/` path and `LLMLAB_<ID>_BASE_URL`), the catalog provider id its calls are priced
 * and stored under, and its public API's base. docs/gateway.md has the same table.
 */

export type UsageFormat = 'openai' | 'anthropic' | 'google' | 'cohere';

/** Every provider the gateway forwards to, by route id. */
export const GATEWAY_ROUTES = ['openai', 'anthropic', 'google', 'azure', 'cohere', 'groq', 'deepseek', 'mistral', 'together', 'fireworks', 'openrouter', 'xai', 'perplexity', 'cerebras', 'ollama', 'vllm'] as const;
export type GatewayRoute = (typeof GATEWAY_ROUTES)[number];

/** The catalog provider ids of the gateway's routes (`xai` is `x-ai`): what a key may be limited to. */
export const GATEWAY_PROVIDER_IDS = ['openai', 'anthropic', 'google', 'azure', 'cohere', 'groq', 'deepseek', 'mistral', 'together', 'fireworks', 'openrouter', 'x-ai', 'perplexity', 'cerebras', 'ollama', 'vllm'] as const;

export interface HostedProvider {
  /** The gateway route and configuration name: /proxy/<route>/, LLMLAB_<ROUTE>_BASE_URL. */
  route: GatewayRoute;
  /** The catalog provider id events are stored and priced under. */
  provider: string;
  /** The upstream the gateway forwards to by default (none for Azure: the customer's resource). */
  defaultBaseUrl: string | null;
  /** The hostname of the provider's public API, for recognising a client's baseURL. */
  host?: string;
  /** Response format the usage is read from. */
  format: UsageFormat;
  /** Speaks OpenAI's chat format, so OpenAI's client (with a baseURL) calls it. */
  openaiCompatible: boolean;
}

const compatible = (route: GatewayRoute, provider: string, defaultBaseUrl: string, host?: string): HostedProvider => ({ route, provider, defaultBaseUrl, host, format: 'openai', openaiCompatible: true });

export const HOSTED_PROVIDERS: readonly HostedProvider[] = [
  { route: 'openai', provider: 'openai', defaultBaseUrl: 'https://api.openai.com', host: 'api.openai.com', format: 'openai', openaiCompatible: true },
  { route: 'anthropic', provider: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com', host: 'api.anthropic.com', format: 'anthropic', openaiCompatible: false },
  { route: 'google', provider: 'google', defaultBaseUrl: 'https://generativelanguage.googleapis.com', host: 'generativelanguage.googleapis.com', format: 'google', openaiCompatible: false },
  { route: 'azure', provider: 'azure', defaultBaseUrl: null, format: 'openai', openaiCompatible: true },
  { route: 'cohere', provider: 'cohere', defaultBaseUrl: 'https://api.cohere.com', host: 'api.cohere.com', format: 'cohere', openaiCompatible: false },
  compatible('groq', 'groq', 'https://api.groq.com/openai', 'api.groq.com'),
  compatible('deepseek', 'deepseek', 'https://api.deepseek.com', 'api.deepseek.com'),
  compatible('mistral', 'mistral', 'https://api.mistral.ai', 'api.mistral.ai'),
  compatible('together', 'together', 'https://api.together.xyz', 'api.together.xyz'),
  compatible('fireworks', 'fireworks', 'https://api.fireworks.ai/inference', 'api.fireworks.ai'),
  compatible('openrouter', 'openrouter', 'https://openrouter.ai/api', 'openrouter.ai'),
  compatible('xai', 'x-ai', 'https://api.x.ai', 'api.x.ai'),
  compatible('perplexity', 'perplexity', 'https://api.perplexity.ai', 'api.perplexity.ai'),
  compatible('cerebras', 'cerebras', 'https://api.cerebras.ai', 'api.cerebras.ai'),
  compatible('ollama', 'ollama', 'http://localhost:11434'),
  compatible('vllm', 'vllm', 'http://localhost:8000'),
];

const AZURE_HOST = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/;

/**
 * The catalog provider id of an OpenAI-compatible client's base URL, or undefined for an address
 * LLMLab does not know (a company gateway, say) or one that is LLMLab's own proxy.
 * @example providerOfBaseUrl('https://api.groq.com/openai/v1') // 'groq'
 */
export function providerOfBaseUrl(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  // Through LLMLab's own gateway: /proxy/<route>/...
  const proxied = /\/proxy\/([a-z]+)(\/|$)/.exec(url.pathname)?.[1];
  if (proxied) return HOSTED_PROVIDERS.find((p) => p.route === proxied)?.provider;
  const host = url.hostname.toLowerCase();
  if (AZURE_HOST.test(host)) return 'azure';
  if (host === 'generativelanguage.googleapis.com') return 'google';
  const known = HOSTED_PROVIDERS.find((p) => p.host === host);
  if (known) return known.provider;
  if (url.port === '11434') return 'ollama';
  return undefined;
}
