import { z } from 'zod';
import { BUDGET_PERIODS } from './budgets.js';
import { IsoTime, LocalDate, Nanos, Usd } from './common.js';

/** How a forecast was made (docs/recommendations.md): the fitted model, or why there is none. */
export const FORECAST_METHODS = ['weekly_seasonal', 'damped_trend', 'run_rate', 'none', 'insufficient_data'] as const;
export type ForecastMethodName = (typeof FORECAST_METHODS)[number];

/** GET /api/costs/forecast: the current period's projected spend with an 80% interval. */
export const ForecastAnswer = z
  .strictObject({
    period: z.enum(BUDGET_PERIODS),
    tz: z.string(),
    period_start: IsoTime,
    period_end: IsoTime,
    method: z.enum(FORECAST_METHODS),
    spent: Usd.describe('Spend so far in the period'),
    projected_spend: Usd,
    low: Usd.describe('Lower end of the 80% interval'),
    high: Usd.describe('Upper end of the 80% interval'),
    interval: z.number().describe('The interval\'s coverage: 0.8'),
    spent_nanos: Nanos,
    projected_nanos: Nanos,
    low_nanos: Nanos,
    high_nanos: Nanos,
    days_elapsed: z.number().describe('Local days of the period gone, today counted by the fraction gone'),
    days_total: z.number().int(),
    budget: Usd.nullable().describe('The amount of the budget named by budget_id'),
    budget_id: z.string().nullable(),
    crosses_budget_on: LocalDate.nullable().describe('The local date the projected spend reaches the budget; null when it does not'),
    note: z.string().nullable().describe('Why nothing is projected (method insufficient_data: less than one day of spend), in a sentence; null otherwise'),
    daily: z.array(
      z.strictObject({
        date: LocalDate,
        spend: Usd,
        cumulative: Usd,
        forecast: z.boolean().describe('The day (or the rest of today) is projected, not spent'),
      }),
    ),
  })
  .meta({ id: 'Forecast' });
export type ForecastAnswer = z.infer<typeof ForecastAnswer>;
