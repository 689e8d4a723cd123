import type { ExperimentCall } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { jsonTextField } from '../db/dialect.js';
import { type EventFilters, eventsQuery } from '../events/list-events.js';

/**
 * Calls an arm of a comparison reads at most: the latest of its range. A project's range can
 * hold tens of millions of events; this many per arm are read and summed in a fraction of a
 * second, and a mean over 50,000 calls is already known to a small fraction of itself.
 */
export const MAX_ARM_CALLS = 50_000;

/** What splits calls into arms: the model, the feature, or the value of one tag. */
export type Dimension = { kind: 'model' } | { kind: 'feature' } | { kind: 'tag'; name: string };

/** The calls of one arm: those of the range and filters whose dimension holds `value`. */
export interface ArmRead {
  calls: ExperimentCall[];
  /** Where the calls read start when the range held more than the bound; null when it held no more. */
  readFrom: number | null;
}

/**
 * The latest calls (at most `maxCalls`) of [from, to) matching the filters whose `dimension` is
 * `value`, newest first: one range of the (project_id, ts, id) index read from its newest end,
 * filtered on the dimension, stopping one row past the bound. Every call past the bound shares
 * the cut's instant or precedes it, so the arm covers exactly (cut, to).
 */
export async function readArmCalls(
  ctx: TenantContext,
  input: EventFilters & { from: number; to: number; dimension: Dimension; value: string },
  maxCalls = MAX_ARM_CALLS,
): Promise<ArmRead> {
  const { dimension, value } = input;
  let q = eventsQuery(ctx, input).clearSelect().select(['ts', 'cost_nanos', 'input_tokens', 'output_tokens', 'latency_ms', 'status']);
  if (dimension.kind === 'model') q = q.where('model', '=', value);
  else if (dimension.kind === 'feature') q = value === '(none)' ? q.where('feature', 'is', null) : q.where('feature', '=', value);
  else q = q.where(jsonTextField(ctx.db.dialect, 'tags', dimension.name), '=', value);
  const rows = await q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(maxCalls + 1).execute();
  const cut = rows.length > maxCalls ? Number(rows[maxCalls].ts) : null;
  const kept = cut === null ? rows : rows.filter((r) => Number(r.ts) > cut);
  return {
    calls: kept.map((r) => ({
      cost_nanos: r.cost_nanos === null ? null : Number(r.cost_nanos),
      input_tokens: Number(r.input_tokens),
      output_tokens: Number(r.output_tokens),
      latency_ms: r.latency_ms === null ? null : Number(r.latency_ms),
      error: r.status === 'error',
    })),
    readFrom: cut === null ? null : cut + 1,
  };
}
