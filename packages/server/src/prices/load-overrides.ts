import type { PriceOverride } from '@llmlab/core';
import type { Kysely } from 'kysely';
import { preparedQuery } from '../db/prepared-query.js';
import type { Database } from '../db/schema.js';

const overridesOfOrg = preparedQuery((db, orgId) => db.selectFrom('price_overrides').selectAll().where('org_id', '=', orgId));

/** The org's price overrides in the price book's shape. */
export async function loadOverrides(db: Kysely<Database>, orgId: string): Promise<PriceOverride[]> {
  const rows = await overridesOfOrg(db, orgId);
  return rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    model: r.model,
    effective_from: r.effective_from,
    rates: {
      input_mtok: r.input_mtok ?? undefined,
      output_mtok: r.output_mtok ?? undefined,
      cache_read_mtok: r.cache_read_mtok ?? undefined,
      cache_write_mtok: r.cache_write_mtok ?? undefined,
    },
  }));
}
