import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { normalizeAnthropicUsage, normalizeOpenAIUsage } from '../usage/normalize.js';
import { priceUsage } from './price-book.js';
import { canonicalProvider } from './providers.js';
import { costNanos } from './rates.js';

const NOW = Date.UTC(2026, 10, 27);
const price = (provider: string, model: string, usage: Parameters<typeof priceUsage>[0]['usage'], ts = NOW) =>
  priceUsage({ provider, model, ts, usage }).cost_nanos;

describe('the original LLMLab price table', () => {
  const u = { input_tokens: 1000, output_tokens: 500 };
  it.each([
    ['openai', 'gpt-4', 60_000_000],
    ['openai', 'gpt-4-turbo', 25_000_000],
    ['openai', 'gpt-3.5-turbo', 1_250_000],
    ['anthropic', 'claude-3-opus', 52_500_000],
    ['anthropic', 'claude-3-sonnet', 10_500_000],
    ['anthropic', 'claude-3-haiku', 875_000],
    ['google', 'gemini-pro', 312_500],
    // gemini-flash resolves to gemini-1.5-flash: $0.075 in / $0.30 out per Mtok
    ['google', 'gemini-flash', 225_000],
  ])('%s/%s prices 1000 in + 500 out at %i nanos', (provider, model, nanos) => {
    expect(price(provider, model, u)).toBe(nanos);
  });
});

describe('cached, cache-write and reasoning tokens', () => {
  it('prices OpenAI cached input at the cached rate, counted once', () => {
    // gpt-4o: $2.50 in, $1.25 cached, $10 out per Mtok
    const usage = normalizeOpenAIUsage({
      prompt_tokens: 2000,
      completion_tokens: 100,
      prompt_tokens_details: { cached_tokens: 1536 },
    });
    expect(usage).toMatchObject({ input_tokens: 2000, cached_input_tokens: 1536 });
    // 464 * 2500 + 1536 * 1250 + 100 * 10000 = 1_160_000 + 1_920_000 + 1_000_000
    expect(price('openai', 'gpt-4o', usage)).toBe(4_080_000);
  });

  it('prices reasoning tokens as output, never twice', () => {
    // o3-mini: $1.10 in, $4.40 out
    const usage = normalizeOpenAIUsage({
      prompt_tokens: 100,
      completion_tokens: 1000,
      completion_tokens_details: { reasoning_tokens: 800 },
    });
    expect(usage.reasoning_tokens).toBe(800);
    expect(price('openai', 'o3-mini', usage)).toBe(100 * 1100 + 1000 * 4400);
  });

  it('adds Anthropic cache reads and writes, reported outside input_tokens, at their rates', () => {
    // claude-3-haiku: $0.25 in, $0.03 cache read, $0.30 cache write, $1.25 out
    const usage = normalizeAnthropicUsage({
      input_tokens: 20,
      cache_read_input_tokens: 3000,
      cache_creation_input_tokens: 1000,
      output_tokens: 400,
    });
    expect(usage).toMatchObject({ input_tokens: 4020, cached_input_tokens: 3000, cache_write_tokens: 1000 });
    expect(price('anthropic', 'claude-3-haiku', usage)).toBe(20 * 250 + 3000 * 30 + 1000 * 300 + 400 * 1250);
  });
});

describe('agreement with the catalog package', () => {
  it('matches calcPrice to the nanodollar for every text model of the big providers', () => {
    let compared = 0;
    for (const id of ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'x-ai']) {
      const provider = findProvider({ providerId: id });
      for (const model of provider?.models ?? []) {
        const name = model.id;
        const usage = { input_tokens: 150_000, cached_input_tokens: 20_000, cache_write_tokens: 10_000, output_tokens: 3_000 };
        const ours = price(id, name, usage);
        const theirs = calcPrice(
          { input_tokens: 150_000, cache_read_tokens: 20_000, cache_write_tokens: 10_000, output_tokens: 3_000 },
          name,
          { providerId: id, timestamp: new Date(NOW) },
        );
        const prices = theirs?.model_price ?? {};
        const textOnly = Object.keys(prices).every((k) => /^(input|output|cache_read|cache_write)_mtok$|kcount$|cache_write_1h/.test(k));
        if (!theirs || ours === null || !textOnly || prices.cache_write_mtok === undefined || prices.cache_read_mtok === undefined) continue;
        expect(ours, `${id}/${name}`).toBe(Math.round(theirs.total_price * 1e9));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });
});

describe('unknown models and providers', () => {
  it('returns null (unpriced), never 0, for a model the catalog does not know', () => {
    const r = priceUsage({ provider: 'openai', model: 'my-finetune-xyz', ts: NOW, usage: { input_tokens: 10, output_tokens: 10 } });
    expect(r).toEqual({ cost_nanos: null, price_source: null });
  });

  it('prices self-hosted providers only through an override', () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 1_000_000 };
    expect(price('ollama', 'llama3', usage)).toBeNull();
    const overrides = [{ id: 'o1', provider: 'ollama', model: 'llama3', effective_from: 0, rates: { input_mtok: 0.1, output_mtok: 0.2 } }];
    expect(priceUsage({ provider: 'ollama', model: 'llama3', ts: NOW, usage, overrides })).toEqual({
      cost_nanos: 300_000_000,
      price_source: 'override:o1',
    });
  });

  it('applies the override in force at the event time', () => {
    const usage = { input_tokens: 1000, output_tokens: 500 };
    const overrides = [{ id: 'neg', provider: 'openai', model: 'gpt-4', effective_from: NOW, rates: { input_mtok: 15, output_mtok: 30 } }];
    expect(priceUsage({ provider: 'openai', model: 'gpt-4', ts: NOW - 1, usage, overrides }).cost_nanos).toBe(60_000_000);
    expect(priceUsage({ provider: 'openai', model: 'GPT-4', ts: NOW, usage, overrides }).cost_nanos).toBe(30_000_000);
  });

  it('knows provider aliases and refuses names it cannot place', () => {
    expect(canonicalProvider('Gemini')).toBe('google');
    expect(canonicalProvider('bedrock')).toBe('aws');
    expect(canonicalProvider('acme-llm')).toBeNull();
  });

  it('refuses to price a token kind without a rate', () => {
    expect(costNanos({ input_mtok: 0.02 }, { input_tokens: 100, output_tokens: 0 })).toBe(2000);
    expect(costNanos({ input_mtok: 0.02 }, { input_tokens: 100, output_tokens: 5 })).toBeNull();
  });
});
