import { describe, expect, it } from 'vitest';
import { normalizeAnthropicUsage, normalizeOpenAIUsage, serviceTierFromAnswer } from '../usage/normalize.js';
import { priceUsage } from './price-book.js';
import { type ServiceTier, tierPriceAt } from './service-tiers.js';

const NOW = Date.UTC(2026, 10, 27);
const JULY_2025 = Date.UTC(2025, 6, 1);
const at = (provider: string, model: string, usage: Parameters<typeof priceUsage>[0]['usage'], serviceTier: ServiceTier | null, ts = NOW) =>
  priceUsage({ provider, model, ts, usage, serviceTier });

// 10,000 input of which 4,000 cached, 2,000 output of which 1,500 reasoning.
const reasoningCall = normalizeOpenAIUsage({
  prompt_tokens: 10_000,
  completion_tokens: 2_000,
  prompt_tokens_details: { cached_tokens: 4_000 },
  completion_tokens_details: { reasoning_tokens: 1_500 },
});

describe('batch: half of every token rate for OpenAI and Anthropic', () => {
  it('halves OpenAI input, cached input and output', () => {
    // gpt-4o standard: $2.50 in, $1.25 cached, $10 out; batch half of each
    const usage = normalizeOpenAIUsage({ prompt_tokens: 2000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 1536 } });
    expect(at('openai', 'gpt-4o', usage, null)).toEqual({ cost_nanos: 4_080_000, price_source: 'catalog:genai-prices@0.1.8/gpt-4o' });
    // 464 * 1250 + 1536 * 625 + 100 * 5000
    expect(at('openai', 'gpt-4o', usage, 'batch')).toEqual({ cost_nanos: 2_040_000, price_source: 'catalog:genai-prices@0.1.8/gpt-4o+batch' });
  });

  it('halves Anthropic cache reads and cache writes too (the discounts stack)', () => {
    // claude-haiku-4-5: $1 in, $0.10 cache read, $1.25 cache write, $5 out
    const usage = normalizeAnthropicUsage({ input_tokens: 200, cache_read_input_tokens: 3000, cache_creation_input_tokens: 1000, output_tokens: 400 });
    expect(at('anthropic', 'claude-haiku-4-5', usage, 'standard').cost_nanos).toBe(200 * 1000 + 3000 * 100 + 1000 * 1250 + 400 * 5000);
    // 200 * 500 + 3000 * 50 + 1000 * 625 + 400 * 2500 = 100,000 + 150,000 + 625,000 + 1,000,000
    expect(at('anthropic', 'claude-haiku-4-5', usage, 'batch')).toEqual({
      cost_nanos: 1_875_000,
      price_source: 'catalog:genai-prices@0.1.8/claude-haiku-4-5+batch',
    });
  });

  it('halves an org override too: the discount is the provider\'s rule, the override its standard price', () => {
    const overrides = [{ id: 'neg', provider: 'openai', model: 'gpt-4o', effective_from: 0, rates: { input_mtok: 2, output_mtok: 8 } }];
    const r = priceUsage({ provider: 'openai', model: 'gpt-4o', ts: NOW, usage: { input_tokens: 1000, output_tokens: 1000 }, overrides, serviceTier: 'batch' });
    expect(r).toEqual({ cost_nanos: 1000 * 1000 + 1000 * 4000, price_source: 'override:neg+batch' });
  });

  it('prices batch at standard, saying so, where the provider has no batch rule known to LLMLab', () => {
    // mistral-large: no batch rule here
    const standard = at('mistral', 'mistral-large-latest', { input_tokens: 1000, output_tokens: 1000 }, null);
    const batch = at('mistral', 'mistral-large-latest', { input_tokens: 1000, output_tokens: 1000 }, 'batch');
    expect(standard.cost_nanos).toBeGreaterThan(0);
    expect(batch).toEqual({ cost_nanos: standard.cost_nanos, price_source: `${standard.price_source}+batch@standard` });
  });
});

describe('OpenAI flex and priority: the model\'s own published prices', () => {
  it('prices o3 flex at $1 in, $0.25 cached, $4 out (after the 2025-06-10 cut)', () => {
    // 6,000 * 1000 + 4,000 * 250 + 2,000 * 4000; reasoning is output
    expect(at('openai', 'o3', reasoningCall, 'flex', JULY_2025)).toEqual({ cost_nanos: 15_000_000, price_source: 'tier:openai/flex/o3@2025-06-10' });
    expect(at('openai', 'o3', reasoningCall, 'standard', JULY_2025).cost_nanos).toBe(30_000_000);
  });

  it('prices gpt-5-mini flex and a dated snapshot by the same entry', () => {
    // $0.125 in, $0.0125 cached, $1 out: 6,000 * 125 + 4,000 * 12.5 + 2,000 * 1000
    expect(at('openai', 'gpt-5-mini-2025-08-07', reasoningCall, 'flex')).toEqual({ cost_nanos: 2_800_000, price_source: 'tier:openai/flex/gpt-5-mini@2025-08-07' });
  });

  it('prices gpt-4.1 priority at $3.50 in, $0.875 cached, $14 out', () => {
    // 6,000 * 3500 + 4,000 * 875 + 2,000 * 14000
    expect(at('openai', 'gpt-4.1', reasoningCall, 'priority', JULY_2025)).toEqual({ cost_nanos: 52_500_000, price_source: 'tier:openai/priority/gpt-4.1@2025-06-26' });
  });

  it('prices gpt-5 priority at $2.50 in, $0.25 cached, $20 out', () => {
    expect(at('openai', 'gpt-5', reasoningCall, 'priority').cost_nanos).toBe(6_000 * 2500 + 4_000 * 250 + 2_000 * 20_000);
  });

  it('falls back to standard rates, marked, for a model with no published price on the tier', () => {
    // gpt-4.1 has no flex price: standard $2 in, $0.50 cached, $8 out
    expect(at('openai', 'gpt-4.1', reasoningCall, 'flex')).toEqual({ cost_nanos: 30_000_000, price_source: 'catalog:genai-prices@0.1.8/gpt-4.1+flex@standard' });
    // gpt-5-nano has flex but no priority price
    const standard = at('openai', 'gpt-5-nano', reasoningCall, null);
    expect(at('openai', 'gpt-5-nano', reasoningCall, 'priority')).toEqual({ cost_nanos: standard.cost_nanos, price_source: `${standard.price_source}+priority@standard` });
  });

  it('keeps an org override as it is on flex and priority, marked', () => {
    const overrides = [{ id: 'own', provider: 'openai', model: 'o3', effective_from: 0, rates: { input_mtok: 1, output_mtok: 1 } }];
    const r = priceUsage({ provider: 'openai', model: 'o3', ts: NOW, usage: { input_tokens: 1000, output_tokens: 1000 }, overrides, serviceTier: 'flex' });
    expect(r).toEqual({ cost_nanos: 2_000_000, price_source: 'override:own+flex@standard' });
  });

  it('never prices a tier at $0 or leaves a priced model unpriced', () => {
    for (const tier of ['standard', 'batch', 'flex', 'priority'] as const) {
      const r = at('openai', 'gpt-4o-mini', reasoningCall, tier);
      expect(r.cost_nanos, tier).toBeGreaterThan(0);
    }
  });
});

describe('tiers by date', () => {
  it('prices flex before it existed (2025-04-17) at standard, marked', () => {
    // o3 before its price cut: $10 in, $0.50 cached (the catalog's), $40 out
    const before = at('openai', 'o3', reasoningCall, 'flex', Date.UTC(2025, 3, 16));
    expect(before).toEqual({ cost_nanos: 6_000 * 10_000 + 4_000 * 500 + 2_000 * 40_000, price_source: 'catalog:genai-prices@0.1.8/o3+flex@standard' });
  });

  it('prices o3 flex at its launch rates until the cut of 2025-06-10', () => {
    // $5 in, $1.25 cached, $20 out
    expect(at('openai', 'o3', reasoningCall, 'flex', Date.UTC(2025, 4, 1))).toEqual({ cost_nanos: 6_000 * 5_000 + 4_000 * 1_250 + 2_000 * 20_000, price_source: 'tier:openai/flex/o3@2025-04-17' });
    expect(tierPriceAt('openai', 'o3', 'flex', Date.UTC(2025, 5, 10))?.rates.input_mtok).toBe(1);
  });

  it('prices batch before the provider offered it at standard, marked', () => {
    const usage = { input_tokens: 1000, output_tokens: 500 };
    expect(at('openai', 'gpt-4', usage, 'batch', Date.UTC(2024, 3, 14))).toEqual({ cost_nanos: 60_000_000, price_source: 'catalog:genai-prices@0.1.8/gpt-4+batch@standard' });
    expect(at('openai', 'gpt-4', usage, 'batch', Date.UTC(2024, 3, 15)).cost_nanos).toBe(30_000_000);
    expect(at('anthropic', 'claude-3-haiku', usage, 'batch', Date.UTC(2024, 9, 7)).price_source).toMatch(/\+batch@standard$/);
    expect(at('anthropic', 'claude-3-haiku', usage, 'batch', Date.UTC(2024, 9, 8)).cost_nanos).toBe((1000 * 250 + 500 * 1250) / 2);
  });

  it('prices Anthropic priority at standard rates (a capacity commitment), marked', () => {
    const usage = { input_tokens: 1000, output_tokens: 500 };
    expect(at('anthropic', 'claude-3-haiku', usage, 'priority')).toEqual({ cost_nanos: 875_000, price_source: 'catalog:genai-prices@0.1.8/claude-3-haiku+priority@standard' });
  });
});

describe('the tier a provider answers with', () => {
  it.each([
    ['default', 'standard'],
    ['scale', 'standard'],
    ['standard', 'standard'],
    ['flex', 'flex'],
    ['priority', 'priority'],
    ['batch', 'batch'],
    ['auto', null],
    [undefined, null],
    [42, null],
  ])('%s -> %s', (answer, tier) => {
    expect(serviceTierFromAnswer(answer)).toBe(tier);
  });
});
