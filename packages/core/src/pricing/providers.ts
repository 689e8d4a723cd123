import { findProvider, type Provider } from '@pydantic/genai-prices';

/** Provider ids of the bundled catalog that LLMLab accepts on events. */
export const CATALOG_PROVIDERS = [
  'openai', 'anthropic', 'google', 'azure', 'aws', 'mistral', 'cohere', 'deepseek', 'groq',
  'x-ai', 'together', 'fireworks', 'openrouter', 'perplexity', 'novita', 'avian', 'baseten',
  'minimax', 'modal', 'ovhcloud', 'voyageai', 'zai', 'zhipuai', 'arcee', 'cerebras',
] as const;

/** Providers with no catalog prices (self-hosted servers): accepted, unpriced unless overridden. */
export const SELF_HOSTED_PROVIDERS = ['ollama', 'vllm', 'lmstudio', 'llamacpp', 'self-hosted'] as const;

/** Names people use for a provider, mapped to the catalog id. Documented in docs/pricing.md. */
export const PROVIDER_ALIASES: Record<string, string> = {
  gemini: 'google',
  'google-genai': 'google',
  vertex: 'google',
  vertexai: 'google',
  'vertex-ai': 'google',
  'google-vertex': 'google',
  bedrock: 'aws',
  'aws-bedrock': 'aws',
  'azure-openai': 'azure',
  azure_openai: 'azure',
  xai: 'x-ai',
  grok: 'x-ai',
  mistralai: 'mistral',
  'together-ai': 'together',
  togetherai: 'together',
  'fireworks-ai': 'fireworks',
  claude: 'anthropic',
};

const accepted = new Set<string>([...CATALOG_PROVIDERS, ...SELF_HOSTED_PROVIDERS]);

/**
 * The canonical provider id for a name sent by a client, or null when LLMLab does not know it.
 * @example canonicalProvider('Gemini') // 'google'
 */
export function canonicalProvider(name: string): string | null {
  const key = name.trim().toLowerCase();
  const id = PROVIDER_ALIASES[key] ?? key;
  return accepted.has(id) ? id : null;
}

/** Every provider name accepted on events, aliases included, sorted. */
export function acceptedProviderNames(): string[] {
  return [...accepted, ...Object.keys(PROVIDER_ALIASES)].sort();
}

const catalogProviders = new Map<string, Provider | null>();

/** The bundled catalog's provider entry, or null for self-hosted providers. */
export function catalogProvider(id: string): Provider | null {
  if (!catalogProviders.has(id)) {
    catalogProviders.set(id, (CATALOG_PROVIDERS as readonly string[]).includes(id) ? (findProvider({ providerId: id }) ?? null) : null);
  }
  return catalogProviders.get(id) ?? null;
}
