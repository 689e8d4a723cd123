import { attributeDrivers } from './attribute-drivers.js';
import { baselineAt, planBaseline, referenceIndices, spreadBefore } from './seasonal-baseline.js';
import type { Anomaly, AnomalyMetric, AnomalyOptions, AnomalyPoint, AnomalySeries } from './types.js';

const DEFAULT_THRESHOLD = 4;
const DEFAULT_MIN_EXCESS_NANOS = 100_000_000;
const DEFAULT_MIN_CALLS = 5;
/**
 * A series that barely moves (or sits at 0 at night) has a spread near 0, which would make any
 * wobble a "spike": the spread is at least 10% of the baseline and of a typical active bucket.
 */
const RELATIVE_FLOOR = 0.1;

function metricValues(points: readonly AnomalyPoint[], metric: AnomalyMetric, minCalls: number): (number | null)[] {
  if (metric === 'spend') return points.map((p) => p.spend_nanos);
  return points.map((p) => (p.calls >= minCalls ? (p.input_tokens + p.output_tokens) / p.calls : null));
}

/** Spend above normal attributable to the anomaly: all of it for spend, the bigger calls' part for tokens. */
function excessOf(metric: AnomalyMetric, point: AnomalyPoint, value: number, baseline: number): number {
  if (metric === 'spend') return Math.round(value - baseline);
  return value > 0 ? Math.round(point.spend_nanos * (1 - baseline / value)) : 0;
}

function scanSeries(series: AnomalySeries, metric: AnomalyMetric, options: Required<AnomalyOptions>): Anomaly[] {
  const { points } = series;
  const values = metricValues(points, metric, options.min_calls);
  const found: Anomaly[] = [];
  for (let t = 0; t < points.length; t++) {
    const value = values[t];
    if (points[t].at < options.since || value === null) continue;
    const plan = planBaseline(series.granularity, t);
    const baseline = baselineAt(values, t, plan);
    if (baseline === null || value <= baseline) continue;
    const past = spreadBefore(values, t, plan);
    if (past === null) continue;
    const spread = Math.max(past.spread, RELATIVE_FLOOR * baseline, RELATIVE_FLOOR * past.typical);
    const score = spread > 0 ? (value - baseline) / spread : Number.POSITIVE_INFINITY;
    const excess = excessOf(metric, points[t], value, baseline);
    if (score < options.threshold || excess < options.min_excess_nanos) continue;
    const references = referenceIndices(t, plan).map((i) => points[i]);
    found.push({
      metric,
      dimension: series.dimension,
      key: series.key,
      granularity: series.granularity,
      at: points[t].at,
      value: metric === 'spend' ? value : Math.round(value * 10) / 10,
      baseline: metric === 'spend' ? Math.round(baseline) : Math.round(baseline * 10) / 10,
      score: Number.isFinite(score) ? Math.round(score * 100) / 100 : 999,
      excess_nanos: excess,
      drivers: attributeDrivers(points[t], references, excess),
    });
  }
  return found;
}

/**
 * Finds buckets whose spend or tokens per call stand far above their robust seasonal baseline
 * (median of the same weekday or hour, spread from the MAD), and says which model, feature,
 * end user or API key drove each one. Newest first, then by score.
 * @example detectAnomalies({ series: [{ dimension: 'project', key: 'all', granularity: 'day', points }] })
 */
export function detectAnomalies(input: { series: readonly AnomalySeries[]; options?: AnomalyOptions }): Anomaly[] {
  const options: Required<AnomalyOptions> = {
    since: input.options?.since ?? Number.NEGATIVE_INFINITY,
    threshold: input.options?.threshold ?? DEFAULT_THRESHOLD,
    min_excess_nanos: input.options?.min_excess_nanos ?? DEFAULT_MIN_EXCESS_NANOS,
    min_calls: input.options?.min_calls ?? DEFAULT_MIN_CALLS,
  };
  const found = input.series.flatMap((s) => [...scanSeries(s, 'spend', options), ...scanSeries(s, 'tokens_per_call', options)]);
  return found.sort((a, b) => b.at - a.at || b.score - a.score);
}
