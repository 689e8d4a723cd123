import { CATALOG_PROVIDERS, CATALOG_SOURCE, acceptedProviderNames, canonicalProvider, catalogProvider, ratesAt, type Rate } from '@llmlab/core';
import type { AppContext } from '../context.js';

const flat = (r: Rate | undefined) => (r === undefined ? null : typeof r === 'number' ? r : r.base);

/** The bundled catalog as a flat list at today's rates, optionally narrowed to a provider (or an alias of it) or a name fragment. */
export function listCatalog({ ctx, input }: { ctx: AppContext; input: { provider?: string; q?: string } }) {
  const only = input.provider ? (canonicalProvider(input.provider) ?? input.provider) : undefined;
  const now = ctx.now();
  const models = [];
  const q = input.q?.toLowerCase();
  for (const id of CATALOG_PROVIDERS) {
    if (only && only !== id) continue;
    const provider = catalogProvider(id);
    for (const m of provider?.models ?? []) {
      if (q && !m.id.toLowerCase().includes(q) && !(m.name ?? '').toLowerCase().includes(q)) continue;
      const rates = ratesAt(m, now);
      models.push({
        provider: id,
        model: m.id,
        name: m.name ?? m.id,
        input_mtok: flat(rates.input_mtok),
        output_mtok: flat(rates.output_mtok),
        cache_read_mtok: flat(rates.cache_read_mtok),
        cache_write_mtok: flat(rates.cache_write_mtok),
        tiered: [rates.input_mtok, rates.output_mtok].some((r) => typeof r === 'object'),
        deprecated: m.deprecated ?? false,
      });
    }
  }
  return { source: CATALOG_SOURCE, providers: acceptedProviderNames(), models };
}
