import type { PriceOverride } from '@llmlab/core';
import type { Db } from '../db/database.js';
import { OwnedCache } from '../db/owned-cache.js';
import { preparedQuery } from '../db/prepared-query.js';

const overridesOfOrg = preparedQuery((db, orgId) => db.selectFrom('price_overrides').selectAll().where('org_id', '=', orgId));

/** Overrides by org, read on every ingest request; dropped by every override write (see OwnedCache: SQLite only). */
export const overridesCache = new OwnedCache<PriceOverride[]>();

/** The org's price overrides in the price book's shape. */
export async function loadOverrides(db: Db, orgId: string): Promise<PriceOverride[]> {
  return (await overridesCache.get(db, orgId, () => readOverrides(db, orgId))) ?? [];
}

async function readOverrides(db: Db, orgId: string): Promise<PriceOverride[]> {
  const rows = await overridesOfOrg(db.kysely, orgId);
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
