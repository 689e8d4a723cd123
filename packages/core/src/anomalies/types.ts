/** Who a part of the spend belongs to, for saying what drove an anomaly. */
export type DriverKind = 'model' | 'feature' | 'user' | 'key';
export const DRIVER_KINDS: readonly DriverKind[] = ['model', 'feature', 'user', 'key'];

export type AnomalyMetric = 'spend' | 'tokens_per_call';
export type AnomalyGranularity = 'hour' | 'day';

/** One bucket (an hour or a local day) of one series. */
export interface AnomalyPoint {
  /** Start of the bucket, epoch ms. */
  at: number;
  spend_nanos: number;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  /** Spend (nanos) of the bucket split by model, feature, end user and API key. */
  contributions?: Partial<Record<DriverKind, Record<string, number>>>;
}

/** Contiguous buckets, oldest first, empty buckets included as zeros. */
export interface AnomalySeries {
  /** What the series is of: the whole project, one model, one feature. */
  dimension: 'project' | 'model' | 'feature';
  key: string;
  granularity: AnomalyGranularity;
  points: readonly AnomalyPoint[];
}

export interface AnomalyDriver {
  kind: DriverKind;
  key: string;
  /** Spend of this key above its own baseline in the anomalous bucket. */
  excess_nanos: number;
  /** That excess as a share of the anomaly's excess (0-1). */
  share: number;
}

export interface Anomaly {
  metric: AnomalyMetric;
  dimension: AnomalySeries['dimension'];
  key: string;
  granularity: AnomalyGranularity;
  at: number;
  /** The bucket's value: spend in nanos, or tokens per call. */
  value: number;
  /** What a normal bucket at that time looks like (median of comparable buckets). */
  baseline: number;
  /** Robust z: (value - baseline) / (1.4826 x MAD of the series' deviations from its baselines). */
  score: number;
  /** Spend above normal: the whole excess for spend, the share paid for bigger calls for tokens per call. */
  excess_nanos: number;
  drivers: AnomalyDriver[];
}

export interface AnomalyOptions {
  /** Only buckets starting at or after this instant are judged (earlier ones are history). */
  since?: number;
  /** Robust z a bucket must reach (default 4). */
  threshold?: number;
  /** Smallest excess worth a word, in nanos (default $0.10). */
  min_excess_nanos?: number;
  /** Fewest calls a bucket needs for its tokens per call to mean anything (default 5). */
  min_calls?: number;
}
