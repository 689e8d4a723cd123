import type { Rates } from './rates.js';

/**
 * Service tiers: how a provider processed a call, and the tier rules that price it. Every rule
 * carries the date it applies from and its published source; docs/pricing.md lists them.
 */

/** The tiers an event can carry. A call that reported none is priced and counted as `standard`. */
export const SERVICE_TIERS = ['standard', 'batch', 'flex', 'priority'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Is `value` one of SERVICE_TIERS? */
export function isServiceTier(value: unknown): value is ServiceTier {
  return typeof value === 'string' && (SERVICE_TIERS as readonly string[]).includes(value);
}

/** A stored tier as pricing takes it: null (standard) for none or for a value LLMLab does not know. */
export function storedServiceTier(value: string | null | undefined): ServiceTier | null {
  return isServiceTier(value) ? value : null;
}

/** A provider's batch discount: every token rate (cache reads and writes included) times `factor`, from `from`. */
export interface BatchRule {
  factor: number;
  from: string;
  source: string;
}

/** OpenAI Batch API (launched 2024-04-15) and Anthropic Message Batches API (2024-10-08): half of every token rate. */
export const BATCH_RULES: Record<string, BatchRule> = {
  openai: { factor: 0.5, from: '2024-04-15', source: 'https://platform.openai.com/docs/guides/batch' },
  anthropic: { factor: 0.5, from: '2024-10-08', source: 'https://docs.anthropic.com/en/docs/build-with-claude/batch-processing#pricing' },
};

/** A model's own published price on a tier, per million tokens, from a date. */
export interface TierPrice {
  provider: string;
  tier: 'flex' | 'priority';
  /** Model names as events carry them (lower-case), dated snapshots included. */
  models: readonly string[];
  from: string;
  rates: Rates;
  source: string;
}

const OPENAI_PRICING = 'https://platform.openai.com/docs/pricing';
const OPENAI_PRIORITY = 'https://openai.com/api-priority-processing/';

const flex = (models: string[], from: string, input: number, cached: number, output: number): TierPrice => ({
  provider: 'openai', tier: 'flex', models, from, rates: { input_mtok: input, cache_read_mtok: cached, output_mtok: output }, source: OPENAI_PRICING,
});
const priority = (models: string[], from: string, input: number, cached: number | undefined, output: number): TierPrice => ({
  provider: 'openai', tier: 'priority', models, from, rates: { input_mtok: input, cache_read_mtok: cached, output_mtok: output }, source: OPENAI_PRIORITY,
});

/**
 * OpenAI's per-model Flex and Priority prices ($ per million tokens: input, cached input, output).
 * Flex opened on 2025-04-17 for o3 and o4-mini at Batch API rates; o3's rates follow its price cut
 * of 2025-06-10 (before it, the cached rate is half of the $2.50 standard cached rate, as the flex
 * guide prices flex at Batch API rates). Priority is dated from 2025-06-26, when `priority` entered OpenAI's API
 * definition; the GPT-5 models from their release. o4-mini's flex cached rate is half its $0.275
 * standard rate, which the pricing page rounds to $0.138. A model absent here has no published
 * price on that tier and is priced at standard, with a price source that says so.
 */
export const TIER_PRICES: readonly TierPrice[] = [
  flex(['o3', 'o3-2025-04-16'], '2025-04-17', 5, 1.25, 20),
  flex(['o3', 'o3-2025-04-16'], '2025-06-10', 1, 0.25, 4),
  flex(['o4-mini', 'o4-mini-2025-04-16'], '2025-04-17', 0.55, 0.1375, 2.2),
  flex(['gpt-5', 'gpt-5-2025-08-07'], '2025-08-07', 0.625, 0.0625, 5),
  flex(['gpt-5-mini', 'gpt-5-mini-2025-08-07'], '2025-08-07', 0.125, 0.0125, 1),
  flex(['gpt-5-nano', 'gpt-5-nano-2025-08-07'], '2025-08-07', 0.025, 0.0025, 0.2),
  flex(['gpt-5.1', 'gpt-5.1-2025-11-13'], '2025-11-13', 0.625, 0.0625, 5),
  priority(['gpt-4.1', 'gpt-4.1-2025-04-14'], '2025-06-26', 3.5, 0.875, 14),
  priority(['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14'], '2025-06-26', 0.7, 0.175, 2.8),
  priority(['gpt-4.1-nano', 'gpt-4.1-nano-2025-04-14'], '2025-06-26', 0.2, 0.05, 0.8),
  priority(['gpt-4o', 'gpt-4o-2024-11-20', 'gpt-4o-2024-08-06'], '2025-06-26', 4.25, 2.125, 17),
  priority(['gpt-4o-2024-05-13'], '2025-06-26', 8.75, undefined, 26.25),
  priority(['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'], '2025-06-26', 0.25, 0.125, 1),
  priority(['o3', 'o3-2025-04-16'], '2025-06-26', 3.5, 0.875, 14),
  priority(['o4-mini', 'o4-mini-2025-04-16'], '2025-06-26', 2, 0.5, 8),
  priority(['gpt-5', 'gpt-5-2025-08-07', 'gpt-5-codex'], '2025-08-07', 2.5, 0.25, 20),
  priority(['gpt-5-mini', 'gpt-5-mini-2025-08-07'], '2025-08-07', 0.45, 0.045, 3.6),
  priority(['gpt-5.1', 'gpt-5.1-2025-11-13', 'gpt-5.1-codex'], '2025-11-13', 2.5, 0.25, 20),
];

const dayStarts = new Map<string, number>();
/** The UTC midnight of a YYYY-MM-DD date, parsed once per date (pricing runs per event). */
function dayMs(date: string): number {
  let ms = dayStarts.get(date);
  if (ms === undefined) {
    ms = Date.parse(`${date}T00:00:00Z`);
    dayStarts.set(date, ms);
  }
  return ms;
}

/** The batch rule of `provider` in force at `ts`, or null (no batch discount known, or before it began). */
export function batchRuleAt(provider: string, ts: number): BatchRule | null {
  const rule = BATCH_RULES[provider];
  return rule && ts >= dayMs(rule.from) ? rule : null;
}

/**
 * The latest published price of `model` on a flex or priority tier in force at `ts`, or null.
 * @example tierPriceAt('openai', 'o3', 'flex', Date.UTC(2025, 6, 1))?.rates.input_mtok // 1
 */
export function tierPriceAt(provider: string, model: string, tier: ServiceTier, ts: number): TierPrice | null {
  const name = model.toLowerCase();
  let best: TierPrice | null = null;
  for (const p of TIER_PRICES) {
    if (p.provider !== provider || p.tier !== tier || !p.models.includes(name) || dayMs(p.from) > ts) continue;
    if (!best || dayMs(p.from) > dayMs(best.from)) best = p;
  }
  return best;
}

/** Every token rate times `factor` (a request fee is not a token rate and stays). */
export function scaleRates(rates: Rates, factor: number): Rates {
  const scale = (r: Rates['input_mtok']): Rates['input_mtok'] => {
    if (r === undefined) return undefined;
    if (typeof r === 'number') return r * factor;
    return { base: r.base * factor, tiers: r.tiers.map((t) => ({ start: t.start, price: t.price * factor })) };
  };
  return {
    ...rates,
    input_mtok: scale(rates.input_mtok),
    output_mtok: scale(rates.output_mtok),
    cache_read_mtok: scale(rates.cache_read_mtok),
    cache_write_mtok: scale(rates.cache_write_mtok),
    output_reasoning_mtok: scale(rates.output_reasoning_mtok),
  };
}
