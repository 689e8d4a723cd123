import { priceUsage } from '../pricing/price-book.js';
import type { UsageAggregate } from './types.js';

export const NOW = Date.UTC(2026, 10, 27);

/** A usage row of `calls` identical calls, its cost priced by the catalog like the server does. */
export function usageRow(
  provider: string,
  model: string,
  feature: string | null,
  calls: number,
  perCall: { input: number; output: number; cached?: number; cacheWrite?: number },
  extra: Partial<UsageAggregate> = {},
): UsageAggregate {
  const usage = {
    input_tokens: perCall.input,
    output_tokens: perCall.output,
    cached_input_tokens: perCall.cached ?? 0,
    cache_write_tokens: perCall.cacheWrite ?? 0,
  };
  const cost = priceUsage({ provider, model, ts: NOW, usage }).cost_nanos;
  if (cost === null) throw new Error(`${provider}/${model} has no catalog price`);
  return {
    provider,
    model,
    feature,
    calls,
    input_tokens: perCall.input * calls,
    output_tokens: perCall.output * calls,
    cached_input_tokens: (perCall.cached ?? 0) * calls,
    cache_write_tokens: (perCall.cacheWrite ?? 0) * calls,
    reasoning_tokens: 0,
    cost_nanos: cost * calls,
    ...extra,
  };
}
