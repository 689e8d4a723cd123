import { AppError, nanosToUsd, type ReconcileAnswer, type ReconcileInput } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { billingRange } from './billing-range.js';
import { readConnections } from './connections.js';
import { readReconciliation } from './read-reconciliation.js';
import { syncBilling } from './sync-billing.js';

/** Days read by the daily job and by a reconcile that names no range: today and the 3 before it, since bills settle late. */
export const RECENT_DAYS = 4;
/** Most days one reconcile reads from the providers. */
export const MAX_RECONCILE_DAYS = 93;

/**
 * Reads the bills of the org's connected providers (or the one named) for the range now, stores
 * them and answers the comparison. The first provider error is the answer (the others' bills
 * read before it stay stored), naming the provider and what it said.
 */
export async function reconcileNow({ ctx, input }: { ctx: TenantContext; input: ReconcileInput }): Promise<ReconcileAnswer> {
  const range = billingRange(input, ctx.now(), { defaultDays: RECENT_DAYS, maxDays: MAX_RECONCILE_DAYS, notAfterToday: true });
  const connections = (await readConnections(ctx, ctx.actor.orgId)).filter((c) => !input.provider || c.provider === input.provider);
  if (connections.length === 0) {
    throw new AppError('not_found', input.provider ? `no ${input.provider} billing connection: store its admin key first (PUT /api/billing/connections/${input.provider})` : 'no billing connection: store an admin key first (PUT /api/billing/connections/{openai|anthropic})');
  }
  const synced: ReconcileAnswer['synced'] = [];
  let alerts = 0;
  for (const conn of connections) {
    const r = await syncBilling(ctx, conn, range);
    synced.push({ provider: r.provider, days: r.days, lines: r.lines, billed: nanosToUsd(r.billed_nanos), billed_nanos: r.billed_nanos });
    alerts += r.alerts_fired;
  }
  const reconciliation = await readReconciliation(ctx, ctx.actor.orgId, connections.map((c) => c.provider), range);
  return { synced, alerts_fired: alerts, reconciliation };
}
