import type { ModelInfo, ModelPrice } from '@pydantic/genai-prices';

/** Per-million-token rates in USD; a tiered rate switches once the prompt passes `start` tokens. */
export type Rate = number | { base: number; tiers: { start: number; price: number }[] };

/** The rates LLMLab prices a call with. Missing cache rates fall back to the input rate. */
export interface Rates {
  input_mtok?: Rate;
  output_mtok?: Rate;
  cache_read_mtok?: Rate;
  cache_write_mtok?: Rate;
  /** Reasoning tokens, when the provider prices them apart from the rest of the output (Perplexity, some OpenRouter models). */
  output_reasoning_mtok?: Rate;
  /** A fee per thousand requests on top of the tokens (Perplexity's sonar models). */
  requests_kcount?: number;
}

/** Token counts in LLMLab's normalised shape (OpenTelemetry GenAI semantics). */
export interface TokenUsage {
  /** All input tokens, cached reads and cache writes included. */
  input_tokens: number;
  /** All output tokens, reasoning included. */
  output_tokens: number;
  cached_input_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
}

function rateAt(rate: Rate | undefined, promptTokens: number): number | undefined {
  if (rate === undefined) return undefined;
  if (typeof rate === 'number') return rate;
  let price = rate.base;
  for (const tier of rate.tiers) if (promptTokens > tier.start) price = tier.price;
  return price;
}

/**
 * Cost of one call in nanodollars, or null when a token kind the call used has no rate.
 * Cached reads and cache writes are carved out of input and priced at their own rates;
 * reasoning is part of output and priced at the output rate, so nothing is counted twice.
 * @example costNanos({ input_mtok: 30, output_mtok: 60 }, { input_tokens: 1000, output_tokens: 500 }) // 60_000_000
 */
export function costNanos(rates: Rates, usage: TokenUsage): number | null {
  const cacheRead = usage.cached_input_tokens ?? 0;
  const cacheWrite = usage.cache_write_tokens ?? 0;
  const uncached = usage.input_tokens - cacheRead - cacheWrite;
  const input = rateAt(rates.input_mtok, usage.input_tokens);
  const output = rateAt(rates.output_mtok, usage.input_tokens);
  const read = rateAt(rates.cache_read_mtok, usage.input_tokens) ?? input;
  const write = rateAt(rates.cache_write_mtok, usage.input_tokens) ?? input;
  // Reasoning is part of output; a model with its own reasoning rate has it carved out like cache reads from input.
  const reasoningRate = rateAt(rates.output_reasoning_mtok, usage.input_tokens);
  const reasoning = reasoningRate === undefined ? 0 : Math.min(usage.reasoning_tokens ?? 0, usage.output_tokens);
  const parts: [number, number | undefined][] = [
    [uncached, input],
    [cacheRead, read],
    [cacheWrite, write],
    [usage.output_tokens - reasoning, output],
    [reasoning, reasoningRate],
  ];
  let nanos = 0;
  for (const [tokens, perMillion] of parts) {
    if (tokens <= 0) continue;
    if (perMillion === undefined) return null;
    // $/Mtok equals nanodollars per thousandth of a token: tokens * rate * 1000 nanos.
    nanos += tokens * perMillion * 1000;
  }
  // A per-request fee applies to a call that was served: one that used tokens. $ per 1,000 requests is 1e6 nanos per request.
  if (rates.requests_kcount && usage.input_tokens + usage.output_tokens > 0) nanos += rates.requests_kcount * 1_000_000;
  return Math.round(nanos);
}

/** Catalog prices converted to Rates, once per price entry (the catalog's objects never change). */
const converted = new WeakMap<ModelPrice, Rates>();

/** The catalog rates of `model` in force at `ts` (start-date and time-of-day constraints). */
export function ratesAt(model: ModelInfo, ts: number): Rates {
  const price = modelPriceAt(model, ts);
  let rates = converted.get(price);
  if (!rates) {
    rates = toRates(price);
    converted.set(price, rates);
  }
  return rates;
}

function modelPriceAt(model: ModelInfo, ts: number): ModelPrice {
  if (!Array.isArray(model.prices)) return model.prices;
  const at = new Date(ts);
  for (let i = model.prices.length - 1; i >= 0; i--) {
    const entry = model.prices[i];
    const c = entry.constraint;
    if (!c) return entry.prices;
    if (c.type === 'start_date' && at >= new Date(c.start_date)) return entry.prices;
    if (c.type === 'time_of_date' && inTimeWindow(at, c.start_time, c.end_time)) return entry.prices;
  }
  return model.prices[0].prices;
}

function secondsOfDay(hms: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/.exec(hms);
  if (!m) return 0;
  let s = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (m[4] && m[4] !== 'Z') {
    const sign = m[4][0] === '+' ? 1 : -1;
    s -= sign * (Number(m[4].slice(1, 3)) * 3600 + Number(m[4].slice(4, 6)) * 60);
  }
  return (s + 86400) % 86400;
}

function inTimeWindow(at: Date, start: string, end: string): boolean {
  const now = at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds();
  const s = secondsOfDay(start);
  const e = secondsOfDay(end);
  return e < s ? now >= s || now < e : now >= s && now < e;
}

function toRates(price: ModelPrice): Rates {
  const pick = (key: string): Rate | undefined => {
    const v = price[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    return { base: v.base, tiers: v.tiers.map((t) => ({ start: t.start, price: t.price })) };
  };
  return {
    input_mtok: pick('input_mtok'),
    output_mtok: pick('output_mtok'),
    cache_read_mtok: pick('cache_read_mtok'),
    cache_write_mtok: pick('cache_write_mtok'),
    output_reasoning_mtok: pick('output_reasoning_mtok'),
    requests_kcount: typeof price.requests_kcount === 'number' ? price.requests_kcount : undefined,
  };
}
