import { AppError, canonicalProvider, priceUsage } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { loadOverrides } from './load-overrides.js';

/**
 * How a model prices at a time (now by default), the org's overrides included: the cost in USD
 * of one million input tokens and of one million output tokens, or null where it is unpriced.
 */
export async function lookupPrice({ ctx, input }: { ctx: TenantContext; input: { provider: string; model: string; ts?: number } }) {
  const provider = canonicalProvider(input.provider);
  if (!provider) throw new AppError('validation_failed', `provider: unknown provider "${input.provider}"`);
  const overrides = await loadOverrides(ctx.db, ctx.actor.orgId);
  const ts = input.ts ?? ctx.now();
  const at = (usage: { input_tokens: number; output_tokens: number }) => priceUsage({ provider, model: input.model, ts, usage, overrides });
  // The second million less the first: the token rate alone, without a per-request fee (Perplexity's).
  const perMillion = (one: ReturnType<typeof at>, two: ReturnType<typeof at>) => ({ ...one, cost_nanos: one.cost_nanos === null || two.cost_nanos === null ? null : two.cost_nanos - one.cost_nanos });
  const perInput = perMillion(at({ input_tokens: 1_000_000, output_tokens: 0 }), at({ input_tokens: 2_000_000, output_tokens: 0 }));
  const perOutput = perMillion(at({ input_tokens: 0, output_tokens: 1_000_000 }), at({ input_tokens: 0, output_tokens: 2_000_000 }));
  return {
    provider,
    model: input.model,
    priced: perInput.cost_nanos !== null,
    source: perInput.price_source ?? perOutput.price_source,
    input_mtok: perInput.cost_nanos === null ? null : perInput.cost_nanos / 1e9,
    output_mtok: perOutput.cost_nanos === null ? null : perOutput.cost_nanos / 1e9,
  };
}
