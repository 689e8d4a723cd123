import { priceUsage, type ServiceTier, storedServiceTier, type TokenUsage } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { loadOverrides } from '../prices/load-overrides.js';
import { applyRollupDeltas, rollupDeltas } from '../db/rollups.js';

/**
 * Gives a stored event the usage (and model, and service tier when it names one) of a more
 * complete report of the same call, prices it again and moves the rollups by the difference, in
 * one transaction. Answers false when the project has no such event.
 */
export async function replaceEventUsage({ ctx, input }: { ctx: TenantContext; input: { eventId: string; model: string; usage: Required<TokenUsage>; usageMissing: boolean; serviceTier?: ServiceTier } }): Promise<boolean> {
  const overrides = await loadOverrides(ctx.db, ctx.actor.orgId);
  return ctx.db.transaction(async (trx) => {
    const old = await trx.selectFrom('events').selectAll().where('project_id', '=', ctx.actor.projectId).where('event_id', '=', input.eventId).executeTakeFirst();
    if (!old) return false;
    const serviceTier = input.serviceTier ?? storedServiceTier(old.service_tier);
    const priced = priceUsage({ provider: old.provider, model: input.model, ts: old.ts, usage: input.usage, overrides, usageMissing: input.usageMissing, serviceTier });
    const changes = { ...input.usage, model: input.model, cost_nanos: priced.cost_nanos, price_source: priced.price_source, service_tier: serviceTier };
    const next = { ...old, ...changes };
    await trx
      .updateTable('events')
      .set(changes)
      .where('id', '=', old.id)
      .where('project_id', '=', ctx.actor.projectId)
      .execute();
    await applyRollupDeltas(trx, rollupDeltas([next], [old]));
    return true;
  });
}
