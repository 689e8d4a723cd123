import type { RollupCheckAnswer } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { checkRollups } from './check-rollups.js';

/** Differences past this many are counted, not listed: a broken rollup table can differ everywhere. */
const MAX_LISTED = 1000;

/** Checks the actor's project's rollups against its raw events, read-only (see checkRollups). */
export async function checkProjectRollups({ ctx }: { ctx: TenantContext }): Promise<RollupCheckAnswer> {
  const check = await checkRollups({ db: ctx.db, input: { projectId: ctx.actor.projectId } });
  return {
    project_id: ctx.actor.projectId,
    consistent: check.differences.length === 0,
    keys_checked: check.keys_checked,
    events_counted: check.events_counted,
    difference_count: check.differences.length,
    differences: check.differences.slice(0, MAX_LISTED).map((d) => ({
      key: { hour: new Date(d.key.hour).toISOString(), provider: d.key.provider, model: d.key.model, feature: d.key.feature || null, service_tier: d.key.service_tier },
      field: d.field,
      stored: d.stored,
      recomputed: d.recomputed,
    })),
  };
}
