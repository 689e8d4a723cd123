import { calcPrice, type ModelInfo } from '@pydantic/genai-prices';
import { catalogProvider } from './providers.js';
import { type Rates, ratesAt } from './rates.js';

/** The bundled price data's package and version, kept on every event priced from it. */
export const CATALOG_SOURCE = 'genai-prices@0.1.8';

/**
 * Model names from the original LLMLab price table that the catalog knows under another name.
 * Documented in docs/pricing.md.
 */
export const MODEL_ALIASES: Record<string, Record<string, string>> = {
  google: { 'gemini-flash': 'gemini-1.5-flash' },
};

export interface CatalogModel {
  provider: string;
  model: ModelInfo;
}

const resolved = new Map<string, CatalogModel | null>();

/** The catalog entry a (provider, model) pair prices as, or null when the catalog has none. */
export function findCatalogModel(provider: string, model: string): CatalogModel | null {
  const key = `${provider}\u0000${model}`;
  const hit = resolved.get(key);
  if (hit !== undefined) return hit;
  let found: CatalogModel | null = null;
  const entry = catalogProvider(provider);
  if (entry) {
    const name = MODEL_ALIASES[provider]?.[model.toLowerCase()] ?? model;
    try {
      const result = calcPrice({ input_tokens: 1, output_tokens: 1 }, name, { provider: entry });
      if (result) found = { provider: result.provider.id, model: result.model };
    } catch {
      found = null;
    }
  }
  if (resolved.size > 50_000) resolved.clear();
  resolved.set(key, found);
  return found;
}

/** Catalog rates for a call at `ts`, or null when the model is not in the catalog. */
export function catalogRates(provider: string, model: string, ts: number): { rates: Rates; modelId: string } | null {
  const found = findCatalogModel(provider, model);
  if (!found) return null;
  return { rates: ratesAt(found.model, ts), modelId: found.model.id };
}
