import { z } from 'zod';
import { Count, IsoTime, Usd } from './common.js';

/** USD per million tokens; null when the model has no such price. */
const PerMtok = z.number().nullable().describe('USD per million tokens');

/** GET /api/prices: the bundled catalog at today's prices. */
export const PriceCatalogAnswer = z
  .strictObject({
    source: z.string().describe('The catalog and its version'),
    providers: z.array(z.string()).describe('Provider names and aliases an event may use'),
    models: z.array(
      z.strictObject({
        provider: z.string(),
        model: z.string(),
        name: z.string(),
        input_mtok: PerMtok,
        output_mtok: PerMtok,
        cache_read_mtok: PerMtok,
        cache_write_mtok: PerMtok,
        tiered: z.boolean().describe('The price changes with the prompt size; the base tier is shown'),
        deprecated: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'PriceCatalog' });
export type PriceCatalogAnswer = z.infer<typeof PriceCatalogAnswer>;

/** GET /api/prices/lookup: what 1M input and 1M output tokens of a model cost at a time, overrides included. */
export const PriceLookupAnswer = z
  .strictObject({
    provider: z.string(),
    model: z.string(),
    priced: z.boolean(),
    source: z.string().nullable().describe('The price source events of this model get; null when unpriced'),
    input_mtok: Usd.nullable().describe('USD for 1M input tokens'),
    output_mtok: Usd.nullable().describe('USD for 1M output tokens'),
  })
  .meta({ id: 'PriceLookup' });
export type PriceLookupAnswer = z.infer<typeof PriceLookupAnswer>;

/** An org's own price for a model from a date on. */
export const PriceOverrideAnswer = z
  .strictObject({
    id: z.string(),
    provider: z.string(),
    model: z.string(),
    effective_from: IsoTime,
    input_mtok: PerMtok,
    output_mtok: PerMtok,
    cache_read_mtok: PerMtok,
    cache_write_mtok: PerMtok,
    created_at: IsoTime,
  })
  .meta({ id: 'PriceOverride' });
export type PriceOverrideAnswer = z.infer<typeof PriceOverrideAnswer>;

/** GET /api/prices/overrides. */
export const PriceOverrideListAnswer = z.strictObject({ overrides: z.array(PriceOverrideAnswer) }).meta({ id: 'PriceOverrideList' });
export type PriceOverrideListAnswer = z.infer<typeof PriceOverrideListAnswer>;

/** POST /api/prices/reprice: what pricing the events again changed. */
export const RepriceAnswer = z
  .strictObject({
    examined: Count,
    changed: Count,
    newly_priced: Count,
    now_unpriced: Count,
    cost_before: Usd,
    cost_after: Usd,
    by_model: z.array(z.strictObject({ provider: z.string(), model: z.string(), events: Count, cost_before: Usd, cost_after: Usd })),
  })
  .meta({ id: 'Reprice' });
export type RepriceAnswer = z.infer<typeof RepriceAnswer>;
