import { formatUsdPrecise, nanosToUsd } from '../money/nanos.js';
import { studentTQuantile } from './student-t.js';

/**
 * Which arm of an experiment costs less per call, for real: Welch's t interval on the difference
 * in mean cost per call (docs/experiments.md says why the mean, why Welch, and how it behaves on
 * skewed costs). Pure and deterministic: the same calls always give the same answer.
 */

/** One call of an arm, as the comparison reads it. */
export interface ExperimentCall {
  /** Null for an unpriced call: left out of the cost statistics, counted in `unpriced_calls`. */
  cost_nanos: number | null;
  input_tokens: number;
  output_tokens: number;
  latency_ms: number | null;
  /** The call failed (status error): counted in `error_rate`, its cost (when priced) included. */
  error: boolean;
}

/** A mean with its two-sided 95% interval, in nanodollars (not rounded); null where too few values give none. */
export interface MeanInterval {
  mean: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
}

export interface ArmStats {
  calls: number;
  priced_calls: number;
  unpriced_calls: number;
  errors: number;
  /** The arm's priced cost, summed as integers. */
  cost_nanos: number;
  /** Mean cost of a priced call; the interval is Student's t on the arm's own calls, its low end floored at 0. */
  cost_per_call: MeanInterval;
  /** Mean input plus output tokens per call, every call counted; null without calls. */
  tokens_per_call: number | null;
  /** Nearest-rank percentiles of the calls that report a latency; null without any. */
  latency_ms: { p50: number | null; p95: number | null };
  /** errors / calls; null without calls. */
  error_rate: number | null;
}

export const EXPERIMENT_VERDICTS = ['a_cheaper', 'b_cheaper', 'no_significant_difference', 'insufficient_data'] as const;
export type ExperimentVerdict = (typeof EXPERIMENT_VERDICTS)[number];

export interface ArmComparison {
  a: ArmStats;
  b: ArmStats;
  /** Mean cost per call of B minus that of A, nanodollars, with its Welch 95% interval; `relative` is that over A's mean. */
  difference: MeanInterval & { relative: number | null };
  verdict: ExperimentVerdict;
  /** The verdict in a sentence, with the numbers it rests on. */
  reason: string;
}

/** Priced calls an arm needs before its costs can be compared: a variance needs two. */
export const MIN_PRICED_CALLS = 2;

/**
 * The value at or below which a share `p` (0 to 1] of the sorted values lie: the nearest rank,
 * always one of the values (no interpolation). Null for no values.
 * @example nearestRank([100, 200, 300, 400], 0.5) // 200
 * @example nearestRank([100, 200, 300, 400], 0.95) // 400
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: values.length > 1 ? squares / (values.length - 1) : 0 };
}

/** A mean's 95% interval by Student's t on n - 1 degrees of freedom; costs cannot be negative, so neither is its low end. */
function meanInterval(values: readonly number[]): MeanInterval {
  if (values.length === 0) return { mean: null, ci95_low: null, ci95_high: null };
  const { mean, variance } = meanAndVariance(values);
  if (values.length < MIN_PRICED_CALLS) return { mean, ci95_low: null, ci95_high: null };
  const half = studentTQuantile(0.975, values.length - 1) * Math.sqrt(variance / values.length);
  return { mean, ci95_low: Math.max(0, mean - half), ci95_high: mean + half };
}

/**
 * Calls, cost, mean cost per call with its 95% interval, tokens, latency percentiles and error
 * rate of one arm.
 * @example summarizeArm([{ cost_nanos: 1000, input_tokens: 10, output_tokens: 5, latency_ms: 200, error: false }]).cost_per_call.mean // 1000
 */
export function summarizeArm(calls: readonly ExperimentCall[]): ArmStats {
  const costs: number[] = [];
  const latencies: number[] = [];
  let cost = 0;
  let tokens = 0;
  let errors = 0;
  for (const c of calls) {
    if (c.cost_nanos !== null) {
      costs.push(c.cost_nanos);
      cost += c.cost_nanos;
    }
    if (c.latency_ms !== null) latencies.push(c.latency_ms);
    tokens += c.input_tokens + c.output_tokens;
    if (c.error) errors++;
  }
  latencies.sort((x, y) => x - y);
  const n = calls.length;
  return {
    calls: n,
    priced_calls: costs.length,
    unpriced_calls: n - costs.length,
    errors,
    cost_nanos: cost,
    cost_per_call: meanInterval(costs),
    tokens_per_call: n ? tokens / n : null,
    latency_ms: { p50: nearestRank(latencies, 0.5), p95: nearestRank(latencies, 0.95) },
    error_rate: n ? errors / n : null,
  };
}

export interface WelchInterval {
  /** mean(b) - mean(a). */
  difference: number;
  ci95_low: number;
  ci95_high: number;
  /** Welch-Satterthwaite degrees of freedom; Infinity when both arms are constant. */
  df: number;
}

/**
 * Welch's 95% interval for mean(b) - mean(a): the difference of the means plus or minus t times
 * its standard error, t on the Welch-Satterthwaite degrees of freedom. Each arm needs two values.
 * @example welchDifference([10, 12, 14], [20, 22, 24]) // { difference: 10, ci95_low: ≈5.466, ci95_high: ≈14.534, df: 4 }
 */
export function welchDifference(a: readonly number[], b: readonly number[]): WelchInterval {
  if (a.length < MIN_PRICED_CALLS || b.length < MIN_PRICED_CALLS) throw new RangeError('welchDifference needs two values in each arm');
  const ma = meanAndVariance(a);
  const mb = meanAndVariance(b);
  const difference = mb.mean - ma.mean;
  const va = ma.variance / a.length;
  const vb = mb.variance / b.length;
  const se = Math.sqrt(va + vb);
  // Both arms constant (one price, one size): the difference is exact.
  if (se === 0) return { difference, ci95_low: difference, ci95_high: difference, df: Number.POSITIVE_INFINITY };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = studentTQuantile(0.975, df) * se;
  return { difference, ci95_low: difference - half, ci95_high: difference + half, df };
}

const usd = (nanos: number) => formatUsdPrecise(nanosToUsd(Math.round(nanos)));
const percent = (share: number) => `${Math.round(Math.abs(share) * 1000) / 10}%`;
const priced = (n: number) => `${n} priced call${n === 1 ? '' : 's'}`;

/**
 * The two arms side by side, the difference of their mean cost per call (B minus A) with its 95%
 * interval, and the verdict: `b_cheaper` when the whole interval is below zero, `a_cheaper` when
 * it is above, `no_significant_difference` when it holds zero, `insufficient_data` when an arm
 * has fewer than two priced calls. `labels` name the arms in the reason.
 * @example
 * const call = (cost_nanos: number) => ({ cost_nanos, input_tokens: 100, output_tokens: 50, latency_ms: 300, error: false });
 * compareArms([call(1000), call(1000)], [call(500), call(500)]).verdict // 'b_cheaper'
 */
export function compareArms(a: readonly ExperimentCall[], b: readonly ExperimentCall[], labels = { a: 'A', b: 'B' }): ArmComparison {
  const sa = summarizeArm(a);
  const sb = summarizeArm(b);
  const nameA = `"${labels.a}"`;
  const nameB = `"${labels.b}"`;
  const short = [sa.priced_calls < MIN_PRICED_CALLS ? `${nameA} has ${priced(sa.priced_calls)}` : null, sb.priced_calls < MIN_PRICED_CALLS ? `${nameB} has ${priced(sb.priced_calls)}` : null].filter(Boolean);
  if (short.length) {
    const mean = sa.cost_per_call.mean !== null && sb.cost_per_call.mean !== null ? sb.cost_per_call.mean - sa.cost_per_call.mean : null;
    return {
      a: sa, b: sb,
      difference: { mean, ci95_low: null, ci95_high: null, relative: mean !== null && sa.cost_per_call.mean ? mean / sa.cost_per_call.mean : null },
      verdict: 'insufficient_data',
      reason: `${short.join(' and ')} in the range; comparing costs needs at least ${MIN_PRICED_CALLS} priced calls in each arm.`,
    };
  }
  const costsOf = (calls: readonly ExperimentCall[]) => calls.flatMap((c) => (c.cost_nanos === null ? [] : [c.cost_nanos]));
  const w = welchDifference(costsOf(a), costsOf(b));
  const meanA = sa.cost_per_call.mean as number;
  const relative = meanA ? w.difference / meanA : null;
  const difference = { mean: w.difference, ci95_low: w.ci95_low, ci95_high: w.ci95_high, relative };
  const share = relative === null ? '' : ` (${percent(relative)} ${w.difference < 0 ? 'less' : 'more'})`;
  if (w.ci95_high < 0) {
    const reason = `${nameB} costs ${usd(-w.difference)} less per call than ${nameA}${share}; the 95% interval of the saving, ${usd(-w.ci95_high)} to ${usd(-w.ci95_low)} per call, is all above zero.`;
    return { a: sa, b: sb, difference, verdict: 'b_cheaper', reason };
  }
  if (w.ci95_low > 0) {
    const reason = `${nameA} costs ${usd(w.difference)} less per call than ${nameB}; the 95% interval of the saving, ${usd(w.ci95_low)} to ${usd(w.ci95_high)} per call, is all above zero.`;
    return { a: sa, b: sb, difference, verdict: 'a_cheaper', reason };
  }
  const reason = `The 95% interval of the difference (${nameB} minus ${nameA}), ${usd(w.ci95_low)} to ${usd(w.ci95_high)} per call, includes zero: these calls do not show either arm cheaper.`;
  return { a: sa, b: sb, difference, verdict: 'no_significant_difference', reason };
}
