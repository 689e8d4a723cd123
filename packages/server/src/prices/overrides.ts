import { AppError, canonicalProvider } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import type { PriceOverridesTable } from '../db/schema.js';
import { overridesCache } from './load-overrides.js';

export interface OverrideInput {
  provider: string;
  model: string;
  effective_from?: number | string;
  input_mtok: number;
  output_mtok: number;
  cache_read_mtok?: number;
  cache_write_mtok?: number;
}

export async function createOverride({ ctx, input }: { ctx: TenantContext; input: OverrideInput }) {
  const provider = canonicalProvider(input.provider);
  if (!provider) throw new AppError('validation_failed', `provider: unknown provider "${input.provider}"`, [{ path: 'provider', message: 'unknown provider' }]);
  const from = input.effective_from === undefined ? ctx.now() : typeof input.effective_from === 'number' ? input.effective_from : Date.parse(input.effective_from);
  const row: PriceOverridesTable = {
    id: uuidv7(),
    org_id: ctx.actor.orgId,
    provider,
    model: input.model.trim().toLowerCase(),
    effective_from: from,
    input_mtok: input.input_mtok,
    output_mtok: input.output_mtok,
    cache_read_mtok: input.cache_read_mtok ?? null,
    cache_write_mtok: input.cache_write_mtok ?? null,
    created_at: ctx.now(),
  };
  await ctx.db.transaction(async (trx) => {
    await trx.insertInto('price_overrides').values(row).execute();
    await audit(trx, ctx, { action: 'price_override.created', targetType: 'price_override', targetId: row.id, after: describeOverride(row) });
  });
  overridesCache.forget(ctx.db, ctx.actor.orgId);
  return presentOverride(row);
}

export async function listOverrides({ ctx }: { ctx: TenantContext }) {
  const rows = await ctx.db.kysely.selectFrom('price_overrides').selectAll().where('org_id', '=', ctx.actor.orgId).orderBy('provider').orderBy('model').orderBy('effective_from').execute();
  return rows.map(presentOverride);
}

export async function deleteOverride({ ctx, id }: { ctx: TenantContext; id: string }) {
  await ctx.db.transaction(async (trx) => {
    const row = await trx.deleteFrom('price_overrides').where('id', '=', id).where('org_id', '=', ctx.actor.orgId).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', `price override ${id} not found`);
    await audit(trx, ctx, { action: 'price_override.deleted', targetType: 'price_override', targetId: id, before: describeOverride(row) });
  });
  overridesCache.forget(ctx.db, ctx.actor.orgId);
}

function presentOverride(r: PriceOverridesTable) {
  return { id: r.id, ...describeOverride(r), created_at: new Date(r.created_at).toISOString() };
}

/** An override as its answer shows it, less its id (the entry's target) and creation time: the audit log's before and after. */
function describeOverride(r: PriceOverridesTable) {
  return {
    provider: r.provider,
    model: r.model,
    effective_from: new Date(r.effective_from).toISOString(),
    input_mtok: r.input_mtok,
    output_mtok: r.output_mtok,
    cache_read_mtok: r.cache_read_mtok,
    cache_write_mtok: r.cache_write_mtok,
  };
}
