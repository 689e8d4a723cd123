import { z } from 'zod';
import { EXPERIMENT_VERDICTS } from '../experiments/compare-arms.js';
import { Count, IsoTime, Nanos, RawEventsSince, Usd } from './common.js';

/** Where an arm's read starts when the range held more of its calls than a comparison reads. */
const ArmReadSince = IsoTime.nullable().describe(
  "Each arm reads at most its latest 50,000 calls of the range: null when the range held no more; else the instant those calls start at, and the arm's figures cover only what follows it",
);

const UsdPerCall = Usd.nullable();

/** One arm of GET /api/experiments/compare. */
export const ExperimentArm = z.strictObject({
  value: z.string().describe('The value of the dimension this arm holds (a or b as asked)'),
  calls: Count.describe('Calls read, priced or not, failed or not'),
  priced_calls: Count.describe('Calls with a cost: the cost statistics are theirs'),
  unpriced_calls: Count.describe('Calls without a price: left out of the cost statistics'),
  errors: Count.describe('Calls with status error (their cost, when priced, is in the cost statistics)'),
  cost: Usd.describe('Priced cost of the calls read'),
  cost_nanos: Nanos,
  cost_per_call: z
    .strictObject({
      mean: UsdPerCall.describe('Mean cost of a priced call, to the nanodollar; null without priced calls'),
      ci95_low: UsdPerCall.describe('95% interval (Student t on the arm\'s calls), floored at 0; null under 2 priced calls'),
      ci95_high: UsdPerCall,
    })
    .describe('USD per call'),
  tokens_per_call: z.number().nullable().describe('Mean input plus output tokens per call; null without calls'),
  latency_ms: z
    .strictObject({ p50: z.number().nullable(), p95: z.number().nullable() })
    .describe('Nearest-rank percentiles of the calls that reported a latency; null without any'),
  error_rate: z.number().min(0).max(1).nullable().describe('errors / calls, 0-1; null without calls'),
  events_read_since: ArmReadSince,
});
export type ExperimentArm = z.infer<typeof ExperimentArm>;

/** GET /api/experiments/compare: which of two values of a dimension costs less per call. */
export const ExperimentComparisonAnswer = z
  .strictObject({
    dimension: z.string().describe('model, feature or tag:<name>, as asked'),
    from: IsoTime,
    to: IsoTime,
    a: ExperimentArm,
    b: ExperimentArm,
    difference: z
      .strictObject({
        mean: UsdPerCall.describe('Mean cost per call of b minus that of a: negative when b is cheaper'),
        ci95_low: UsdPerCall.describe('Welch 95% interval of that difference; null when an arm has under 2 priced calls'),
        ci95_high: UsdPerCall,
        relative: z.number().nullable().describe('The difference over a\'s mean cost per call: -0.25 is b costing 25% less'),
      })
      .describe('USD per call'),
    verdict: z
      .enum(EXPERIMENT_VERDICTS)
      .describe('a_cheaper or b_cheaper when the 95% interval of the difference excludes zero; no_significant_difference when it holds zero; insufficient_data when an arm has under 2 priced calls'),
    reason: z.string().describe('The verdict in a sentence with the numbers it rests on'),
    method: z.literal('welch_t').describe('Welch\'s t interval on the difference in mean cost per call (docs/experiments.md)'),
    confidence: z.literal(0.95),
    raw_events_since: RawEventsSince,
  })
  .meta({ id: 'ExperimentComparison' });
export type ExperimentComparisonAnswer = z.infer<typeof ExperimentComparisonAnswer>;
