import { z } from 'zod';
import { Count, IsoTime } from './common.js';

/** GET /api/admin/rollup-check: each field where the stored hourly rollups differ from the raw events. */
export const RollupCheckAnswer = z
  .strictObject({
    project_id: z.string(),
    consistent: z.boolean(),
    keys_checked: Count,
    events_counted: Count,
    difference_count: Count,
    differences: z
      .array(
        z.strictObject({
          key: z.strictObject({ hour: IsoTime, provider: z.string(), model: z.string(), feature: z.string().nullable(), service_tier: z.string() }),
          field: z.string().describe('The rollup column, e.g. cost_nanos'),
          stored: z.number(),
          recomputed: z.number(),
        }),
      )
      .describe('At most 1,000; difference_count has the full count'),
  })
  .meta({ id: 'RollupCheck' });
export type RollupCheckAnswer = z.infer<typeof RollupCheckAnswer>;
