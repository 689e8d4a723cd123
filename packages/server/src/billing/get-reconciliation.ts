import type { ReconciliationAnswer } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { billingRange } from './billing-range.js';
import { readConnections } from './connections.js';
import { readReconciliation } from './read-reconciliation.js';

/** Most days one comparison shows. */
export const MAX_COMPARE_DAYS = 366;

/** The stored comparison of the org's connected providers over UTC days (default: the last 30); the providers are not called. */
export async function getReconciliation({ ctx, input }: { ctx: TenantContext; input: { from?: string; to?: string } }): Promise<ReconciliationAnswer> {
  const range = billingRange(input, ctx.now(), { defaultDays: 30, maxDays: MAX_COMPARE_DAYS });
  const providers = (await readConnections(ctx, ctx.actor.orgId)).map((c) => c.provider);
  return readReconciliation(ctx, ctx.actor.orgId, providers, range);
}
