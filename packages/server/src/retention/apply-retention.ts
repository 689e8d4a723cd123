import type { RetentionApplyAnswer } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import { removeExpiredEvents } from './remove-expired-events.js';

/**
 * Runs the retention of the actor's project now, as the hourly job would, and answers how many
 * raw events it removed (0 when the project keeps them forever or none has expired). A run that
 * removed events is audited in the transaction of its last batch.
 */
export async function applyRetention({ ctx }: { ctx: TenantContext }): Promise<RetentionApplyAnswer> {
  const projectId = ctx.actor.projectId;
  const run = await removeExpiredEvents({
    db: ctx.db,
    input: { projectId, now: ctx.now() },
    onLastBatch: (trx, done) =>
      audit(trx, ctx, {
        action: 'retention.applied',
        targetType: 'events',
        targetId: null,
        projectId,
        after: { deleted: done.deleted, retention_days: done.retentionDays, removed_before: new Date(done.cutoff as number).toISOString() },
      }),
  });
  return { deleted: run.deleted };
}
