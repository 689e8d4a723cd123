import { z } from 'zod';
import { BUDGET_PERIODS } from './budgets.js';
import { Count, IsoTime, LocalDate, Nanos, RawEventsSince, Usd } from './common.js';
import { KeyCreator } from './keys.js';

/** What a chart or table splits spend by; `api_key` is the project API key that sent each call, `service_tier` how the provider processed it. */
export const GROUP_BYS = ['provider', 'model', 'feature', 'user', 'api_key', 'service_tier'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

const UsdByKey = z.record(z.string(), Usd).describe('USD per key, largest first');

/** Where an answer read from raw events starts when its range held more events than it reads. */
const EventsReadSince = IsoTime.nullable().describe(
  'Grouping by user or API key, or filtering by user, reads at most the latest 50,000 raw events of the range: null when the range held no more; ' +
    'else the instant those events start at, and the answer covers only what follows it (grouped by provider, model or feature, from the hourly rollups, it covers the whole range)',
);

/** GET /api/costs/summary: the spend of the last `days` local days, this month and today in `tz`. */
export const CostSummaryAnswer = z
  .strictObject({
    total_spend: Usd,
    this_month_spend: Usd,
    today_spend: Usd,
    by_model: UsdByKey.describe('USD per "provider/model", largest first'),
    by_provider: UsdByKey,
    by_feature: UsdByKey.describe('USD per feature ("(none)" for calls without one), largest first'),
    by_service_tier: z
      .record(z.string(), z.strictObject({ spend: Usd, spend_nanos: Nanos, calls: Count }))
      .describe('Spend and calls per service tier (standard, batch, flex, priority), largest spend first; calls that reported no tier are standard'),
    daily_trend: z.array(z.strictObject({ date: LocalDate, spend: Usd })).describe('One entry per local day of the range, zero days included, oldest first'),
    budget_status: z
      .strictObject({
        budget: Usd,
        spent: Usd,
        percentage: z.number(),
        alert: z.boolean(),
        exceeded: z.boolean(),
        budget_id: z.string(),
        period: z.enum(BUDGET_PERIODS),
      })
      .nullable()
      .describe("The project's unscoped monthly budget, else its first unscoped budget, else its first budget; null without budgets"),
    calls: Count,
    unpriced_calls: Count,
    tokens: z.strictObject({ input: Count, output: Count, cached_input: Count, cache_write: Count, reasoning: Count }),
    total_spend_nanos: Nanos,
    cache_savings: Usd.describe('What the calls the proxy answered from its response cache would have cost, in the same `days`'),
    cache_savings_nanos: Nanos,
    cache_hits: Count.describe('Calls answered from the response cache in the same `days` (counted in `calls`, at cost 0)'),
    days: z.number().int(),
    tz: z.string(),
    from: IsoTime,
    to: IsoTime,
    currency: z.literal('USD'),
  })
  .meta({ id: 'CostSummary' });
export type CostSummaryAnswer = z.infer<typeof CostSummaryAnswer>;

/** GET /api/costs/timeseries: one series per group, a point per local day (or hour), zero buckets included. */
export const TimeseriesAnswer = z
  .strictObject({
    granularity: z.enum(['hour', 'day']),
    group_by: z.enum(GROUP_BYS),
    tz: z.string(),
    buckets: z.array(z.string()).describe('"YYYY-MM-DD" per local day, or "YYYY-MM-DDTHH:00" per local hour'),
    series: z.array(
      z.strictObject({
        key: z.string().describe('The group; with group_by=api_key the key\'s id, "(none)" for calls sent with a dashboard session'),
        total: Usd,
        total_nanos: Nanos,
        points: z.array(z.strictObject({ t: z.string().describe('The bucket, as in buckets'), spend: Usd, calls: Count })),
      }),
    ),
    total: Usd,
    raw_events_since: RawEventsSince.describe(
      'Grouping by user or API key, or filtering by user, reads raw events: set when the range starts before the oldest the retention kept, so the series miss what came before',
    ),
    events_read_since: EventsReadSince,
  })
  .meta({ id: 'Timeseries' });
export type TimeseriesAnswer = z.infer<typeof TimeseriesAnswer>;

/** GET /api/costs/breakdown: totals per group for tables, largest spend first. */
export const BreakdownAnswer = z
  .strictObject({
    group_by: z.enum(GROUP_BYS),
    rows: z.array(
      z.strictObject({
        key: z.string().nullable().describe('The group; with group_by=api_key the key\'s id, null for calls sent with a dashboard session'),
        provider: z.string().optional().describe('With group_by=model'),
        model: z.string().optional().describe('With group_by=model'),
        name: z.string().optional().describe('With group_by=api_key: the key\'s name, "dashboard / session" for key null'),
        prefix: z.string().nullable().optional().describe('With group_by=api_key: the first characters of the key, null for key null'),
        created_by: KeyCreator.optional().describe('With group_by=api_key: the user who created the key, null for key null or when unknown'),
        spend: Usd,
        spend_nanos: Nanos,
        calls: Count,
        input_tokens: Count,
        output_tokens: Count,
        unpriced_calls: Count,
        share: z.number().min(0).max(1).describe('Share of the total spend, 0-1'),
      }),
    ),
    total: Usd,
    total_nanos: Nanos,
    saved: Usd.describe('What the calls in range answered from the response cache would have cost'),
    saved_nanos: Nanos,
    cache_hits: Count.describe('Calls in range answered from the response cache'),
    raw_events_since: RawEventsSince.describe(
      'Grouping by user or API key, or filtering by user, reads raw events: set when the range starts before the oldest the retention kept, so the rows miss what came before',
    ),
    events_read_since: EventsReadSince,
  })
  .meta({ id: 'Breakdown' });
export type BreakdownAnswer = z.infer<typeof BreakdownAnswer>;
