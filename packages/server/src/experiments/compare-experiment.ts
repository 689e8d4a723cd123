import { AppError, type ArmStats, compareArms, DAY_MS, type ExperimentArm, type ExperimentComparisonAnswer, nanosToUsd } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import type { EventFilters } from '../events/list-events.js';
import { rawEventsCoverage } from '../retention/raw-events-since.js';
import { type Dimension, MAX_ARM_CALLS, readArmCalls } from './read-arm-calls.js';

/** The range a comparison reads when none is given: the last 30 days. */
const DEFAULT_DAYS = 30;

/** The two arms, and the range and filters both arms are read with. */
export type CompareInput = Pick<EventFilters, 'from' | 'to' | 'provider' | 'model' | 'feature' | 'user_id'> & { dimension: Dimension; a: string; b: string };

/** The dimension as the query named it: model, feature or tag:<name>. */
export function dimensionName(d: Dimension): string {
  return d.kind === 'tag' ? `tag:${d.name}` : d.kind;
}

/** A per-call amount in USD, to the nanodollar. */
const perCall = (nanos: number | null) => (nanos === null ? null : nanosToUsd(Math.round(nanos)));
const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function presentArm(value: string, s: ArmStats, readFrom: number | null): ExperimentArm {
  return {
    value,
    calls: s.calls,
    priced_calls: s.priced_calls,
    unpriced_calls: s.unpriced_calls,
    errors: s.errors,
    cost: nanosToUsd(s.cost_nanos),
    cost_nanos: s.cost_nanos,
    cost_per_call: { mean: perCall(s.cost_per_call.mean), ci95_low: perCall(s.cost_per_call.ci95_low), ci95_high: perCall(s.cost_per_call.ci95_high) },
    tokens_per_call: s.tokens_per_call === null ? null : Math.round(s.tokens_per_call * 100) / 100,
    latency_ms: s.latency_ms,
    error_rate: s.error_rate === null ? null : Math.round(s.error_rate * 1e6) / 1e6,
    events_read_since: isoOrNull(readFrom),
  };
}

/**
 * Which of two values of a dimension (two models, two features, two values of a tag) costs less
 * per call over [from, to): each arm's calls, cost, mean cost per call with its 95% interval,
 * tokens, latency and error rate, the difference of the means (b minus a) with its Welch 95%
 * interval, and the verdict. Each arm reads at most its latest MAX_ARM_CALLS calls of the range.
 */
export async function compareExperiment({ ctx, input }: { ctx: TenantContext; input: CompareInput }, maxCalls = MAX_ARM_CALLS): Promise<ExperimentComparisonAnswer> {
  const to = input.to ?? ctx.now();
  const from = input.from ?? to - DEFAULT_DAYS * DAY_MS;
  if (from >= to) throw new AppError('bad_request', 'from must be before to');
  if (to - from > 400 * DAY_MS) throw new AppError('bad_request', 'a range spans at most 400 days');
  if (input.a === input.b) throw new AppError('bad_request', `a and b must be two different values (both are "${input.a}")`);
  const kind = input.dimension.kind;
  if ((kind === 'model' || kind === 'feature') && input[kind] !== undefined) {
    throw new AppError('bad_request', `the ${kind} filter cannot be used with dimension=${kind}: the arms are the two ${kind}s a and b`);
  }
  const arm = (value: string) => readArmCalls(ctx, { ...input, from, to, value }, maxCalls);
  const [ra, rb, since] = await Promise.all([arm(input.a), arm(input.b), rawEventsCoverage(ctx, from)]);
  const r = compareArms(ra.calls, rb.calls, { a: input.a, b: input.b });
  return {
    dimension: dimensionName(input.dimension),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    a: presentArm(input.a, r.a, ra.readFrom),
    b: presentArm(input.b, r.b, rb.readFrom),
    difference: {
      mean: perCall(r.difference.mean),
      ci95_low: perCall(r.difference.ci95_low),
      ci95_high: perCall(r.difference.ci95_high),
      relative: r.difference.relative === null ? null : Math.round(r.difference.relative * 1e6) / 1e6,
    },
    verdict: r.verdict,
    reason: r.reason,
    method: 'welch_t',
    confidence: 0.95,
    raw_events_since: since,
  };
}
