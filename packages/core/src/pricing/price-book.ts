import { CATALOG_SOURCE, catalogRates } from './catalog.js';
import { costNanos, type Rates, type TokenUsage } from './rates.js';
import { batchRuleAt, type ServiceTier, scaleRates, tierPriceAt } from './service-tiers.js';

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
  /**
   * Where the price came from: `override:<id>`, `catalog:<source>/<model id>`, `tier:<provider>/<tier>/<model>@<date>`
   * (a model's own flex or priority price), `usage_missing`, or null. A tier rule adds a suffix: `+batch` (the provider's
   * batch discount applied), `+<tier>@standard` (no published price on that tier: standard rates).
   */
  price_source: string | null;
}

/**
 * Prices one call: the org's override in force at `ts` wins, then the bundled catalog; then the
 * call's service tier (see service-tiers.ts): the provider's batch discount, or the model's own
 * flex or priority price, else standard rates with a price source that says so.
 * @example priceUsage({ provider: 'openai', model: 'gpt-4', ts: Date.now(), usage: { input_tokens: 1000, output_tokens: 500 } }).cost_nanos // 60_000_000
 * @example priceUsage({ provider: 'openai', model: 'gpt-4', ts: Date.now(), usage: { input_tokens: 1000, output_tokens: 500 }, serviceTier: 'batch' }).cost_nanos // 30_000_000
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
  /** How the provider processed the call; null or absent is standard. */
  serviceTier?: ServiceTier | null;
}): PricedUsage {
  if (input.usageMissing) return { cost_nanos: null, price_source: USAGE_MISSING };
  const override = overrideAt(input.overrides ?? [], input.provider, input.model, input.ts);
  if (override) return priceAtTier(input, override.rates, `override:${override.id}`, false);
  const catalog = catalogRates(input.provider, input.model, input.ts);
  if (!catalog) return input.failed && usesNoTokens(input.usage) ? { cost_nanos: 0, price_source: NO_TOKENS } : { cost_nanos: null, price_source: null };
  return priceAtTier(input, catalog.rates, `catalog:${CATALOG_SOURCE}/${catalog.modelId}`, true);
}

/**
 * Standard `rates` turned into the call's tier. An org override is its own standard price: the
 * provider's batch discount applies to it, a model's published flex or priority price does not.
 */
function priceAtTier(
  input: { provider: string; model: string; ts: number; usage: TokenUsage; serviceTier?: ServiceTier | null },
  rates: Rates,
  source: string,
  fromCatalog: boolean,
): PricedUsage {
  const tier = input.serviceTier ?? 'standard';
  let applied = rates;
  let priceSource = source;
  if (tier === 'batch') {
    const rule = batchRuleAt(input.provider, input.ts);
    if (rule) applied = scaleRates(rates, rule.factor);
    priceSource = `${source}+batch${rule ? '' : '@standard'}`;
  } else if (tier !== 'standard') {
    const own = fromCatalog ? tierPriceAt(input.provider, input.model, tier, input.ts) : null;
    if (own) {
      applied = own.rates;
      priceSource = `tier:${own.provider}/${tier}/${own.models[0]}@${own.from}`;
    } else {
      priceSource = `${source}+${tier}@standard`;
    }
  }
  const cost = costNanos(applied, input.usage);
  return { cost_nanos: cost, price_source: cost === null ? null : priceSource };
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
