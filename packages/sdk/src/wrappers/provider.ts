import { HOSTED_PROVIDERS, providerOfBaseUrl } from '@llmlab/core/usage';

/**
 * The catalog id for a provider a caller names: lower-cased, and a host's route name
 * (`xai`) read as its catalog id (`x-ai`) from core's table of hosts. Other aliases
 * (`gemini`, `grok`) are resolved by the server when the event arrives.
 * @example canonicalProviderName('XAI') // 'x-ai'
 */
export function canonicalProviderName(name: string): string {
  const key = name.trim().toLowerCase();
  return HOSTED_PROVIDERS.find((p) => p.route === key)?.provider ?? key;
}

/** `AzureOpenAI` (or a subclass of it) from the `openai` package, known by its class name: the SDK does not import `openai`. */
function isAzureClient(client: object): boolean {
  for (let proto = Object.getPrototypeOf(client); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === 'AzureOpenAI') return true;
  }
  return false;
}

/**
 * The provider an `openai` client's calls are recorded under: the one named, else Azure for an
 * `AzureOpenAI`, else the OpenAI-compatible host its `baseURL` points at, else `openai`
 * (api.openai.com, and any address LLMLab does not know).
 * @example providerOfOpenAIClient(new OpenAI({ baseURL: 'https://api.groq.com/openai/v1' })) // 'groq'
 */
export function providerOfOpenAIClient(client: object, named?: string): string {
  if (named) return canonicalProviderName(named);
  if (isAzureClient(client)) return 'azure';
  const baseURL = (client as { baseURL?: unknown }).baseURL;
  return providerOfBaseUrl(typeof baseURL === 'string' ? baseURL : undefined) ?? 'openai';
}
