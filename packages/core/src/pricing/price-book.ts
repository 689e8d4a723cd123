import { CATALOG_SOURCE, catalogRates } from './catalog.js';
import { costNanos, type Rates, type TokenUsage } from './rates.js';

/** An org's own price for a model from a date on (a negotiated rate, a fine-tune, a local model). */
export interface PriceOverride {
  id: string;
  provider: string;
  /** Exact model name as events carry it, lower-cased. */
  model: string;
  effective_from: number;
  rates: Rates;
}

/** The price source of a call whose usage never arrived: unpriced, and never repriced to $0. */
export const USAGE_MISSING = 'usage_missing';

/** The price source of a failed call that used no tokens, of a model no price names: it cost nothing. */
export const NO_TOKENS = 'no_tokens';

export interface PricedUsage {
  /** Nanodollars, or null when no price is known ("unpriced", never 0). */
  cost_nanos: number | null;
  /** Where the price came from: `override:<id>`, `catalog:<source>/<model id>`, `usage_missing`, or null. */
  price_source: string | null;
}

/**
 * Prices one call: the org's override in force at `ts` wins, then the bundled catalog.
 * @example priceUsage({ provider: 'openai', model: 'gpt-4', ts: Date.now(), usage: { input_tokens: 1000, output_tokens: 500 } }).cost_nanos // 60_000_000
 */
export function priceUsage(input: {
  provider: string;
  model: string;
  ts: number;
  usage: TokenUsage;
  overrides?: readonly PriceOverride[];
  /** The call's usage never arrived: there is nothing to price, whatever the model's price. */
  usageMissing?: boolean;
  /** The provider refused or failed the call: with no tokens used it cost nothing, even for a model no price names (an Azure deployment's error names none). */
  failed?: boolean;
}): PricedUsage {
  if (input.usageMissing) return { cost_nanos: null, price_source: USAGE_MISSING };
  const override = overrideAt(input.overrides ?? [], input.provider, input.model, input.ts);
  if (override) {
    return { cost_nanos: costNanos(override.rates, input.usage), price_source: `override:${override.id}` };
  }
  const catalog = catalogRates(input.provider, input.model, input.ts);
  if (!catalog) return input.failed && usesNoTokens(input.usage) ? { cost_nanos: 0, price_source: NO_TOKENS } : { cost_nanos: null, price_source: null };
  const cost = costNanos(catalog.rates, input.usage);
  return { cost_nanos: cost, price_source: cost === null ? null : `catalog:${CATALOG_SOURCE}/${catalog.modelId}` };
}

function usesNoTokens(u: TokenUsage): boolean {
  return u.input_tokens === 0 && u.output_tokens === 0 && !u.cached_input_tokens && !u.cache_write_tokens && !u.reasoning_tokens;
}

/** The override for (provider, model) with the latest `effective_from` not after `ts`. */
export function overrideAt(
  overrides: readonly PriceOverride[],
  provider: string,
  model: string,
  ts: number,
): PriceOverride | null {
  const name = model.toLowerCase();
  let best: PriceOverride | null = null;
  for (const o of overrides) {
    if (o.provider !== provider || o.model !== name || o.effective_from > ts) continue;
    if (!best || o.effective_from > best.effective_from) best = o;
  }
  return best;
}
