import { z } from 'zod';
import { EpochMs, IsoTime, Nanos, Usd } from './common.js';

const Driver = z.strictObject({
  kind: z.enum(['model', 'feature', 'user', 'key']),
  key: z.string(),
  excess_nanos: Nanos,
  excess: Usd.describe('Spend of this key above its own baseline in the bucket'),
  share: z.number().describe("That excess as a share of the anomaly's excess (0-1)"),
});

/** One spike of a series against what comparable buckets looked like. */
export const AnomalyAnswer = z
  .strictObject({
    metric: z.enum(['spend', 'tokens_per_call']),
    dimension: z.enum(['project', 'model', 'feature']),
    key: z.string().describe('The project, "provider/model", or the feature'),
    granularity: z.enum(['hour', 'day']),
    at: EpochMs.describe('Start of the bucket'),
    timestamp: IsoTime.describe('Start of the bucket'),
    value: z.number().describe("The bucket's value: spend in nanodollars, or tokens per call"),
    baseline: z.number().describe('What a normal bucket at that time looks like, in the unit of value'),
    score: z.number().describe('Robust z-score'),
    excess_nanos: Nanos,
    excess: Usd.describe('Spend above normal'),
    drivers: z.array(Driver).describe('The models, features, users and keys that drove it, largest first'),
  })
  .meta({ id: 'Anomaly' });
export type AnomalyAnswer = z.infer<typeof AnomalyAnswer>;

/** GET /api/anomalies: the spikes of the last `days`. */
export const AnomalyListAnswer = z
  .strictObject({
    granularity: z.enum(['hour', 'day']),
    tz: z.string(),
    from: IsoTime,
    to: IsoTime,
    anomalies: z.array(AnomalyAnswer),
  })
  .meta({ id: 'AnomalyList' });
export type AnomalyListAnswer = z.infer<typeof AnomalyListAnswer>;
