import { median, medianAbsoluteDeviation } from '../forecast/robust-stats.js';
import type { AnomalyGranularity } from './types.js';

/** Comparable buckets a baseline is taken from, and how much history they need. */
export interface BaselinePlan {
  /** Distance between comparable buckets: a week of days, a week or a day of hours, or 1. */
  lag: number;
  /** How many comparable buckets back the baseline looks. */
  references: number;
  /** How many past buckets the spread of deviations is measured on. */
  window: number;
}

/**
 * Compares a bucket with the same weekday (days), or the same hour of the week (hours) once
 * two weeks are known and the same hour of the day before that, so that weekends and nights
 * are judged against weekends and nights.
 */
export function planBaseline(granularity: AnomalyGranularity, historyLength: number): BaselinePlan {
  // Days are always compared with the same weekday: against the previous days, the first
  // weekend of a project that is busy on weekends would look like a spike.
  if (granularity === 'day') return { lag: 7, references: 4, window: 56 };
  return historyLength >= 2 * 168 ? { lag: 168, references: 4, window: 336 } : { lag: 24, references: 7, window: 168 };
}

/** Indices of the comparable buckets before `t` (nearest first). */
export function referenceIndices(t: number, plan: BaselinePlan): number[] {
  const out: number[] = [];
  for (let k = 1; k <= plan.references && t - k * plan.lag >= 0; k++) out.push(t - k * plan.lag);
  return out;
}

/** The baseline of bucket `t`: the median of its comparable buckets that have a value. */
export function baselineAt(values: readonly (number | null)[], t: number, plan: BaselinePlan): number | null {
  const refs = referenceIndices(t, plan)
    .map((i) => values[i])
    .filter((v): v is number => v !== null);
  return refs.length >= 2 ? median(refs) : null;
}

/** Fewest past deviations a spread is measured on; fewer and the bucket is not judged. */
const MIN_DEVIATIONS = 5;

/**
 * How far buckets before `t` (within `window`) stray from their baselines: 1.4826 x MAD, a
 * standard deviation that a few past spikes do not inflate; and the median of the non-zero
 * values, the size of a typical active bucket. Null without history enough to judge.
 */
export function spreadBefore(
  values: readonly (number | null)[],
  t: number,
  plan: BaselinePlan,
): { spread: number; typical: number } | null {
  const deviations: number[] = [];
  const active: number[] = [];
  for (let s = Math.max(0, t - plan.window); s < t; s++) {
    const v = values[s];
    const b = v === null ? null : baselineAt(values, s, plan);
    if (v !== null && v > 0) active.push(v);
    if (v !== null && b !== null) deviations.push(v - b);
  }
  if (deviations.length < MIN_DEVIATIONS) return null;
  return { spread: 1.4826 * medianAbsoluteDeviation(deviations), typical: median(active) };
}
