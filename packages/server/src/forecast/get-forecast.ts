import { addDays, type BudgetPeriod, forecastPeriod, nanosToUsd, periodWindow } from '@llmlab/core';
import { findBudget } from '../budgets/budgets.js';
import type { TenantContext } from '../context.js';
import { readDailySpend } from './read-daily-spend.js';

/** History the forecast reads: eight weeks, what its weekly pattern and trend look at. */
const HISTORY_DAYS = 56;

export interface ForecastQuery {
  tz: string;
  period: BudgetPeriod;
  budget_id?: string;
}

/**
 * The current period's projected spend with an 80% interval. With a budget, the budget's
 * period, time zone and scope are used and the day it is projected to be exceeded is given.
 */
export async function getForecast({ ctx, input }: { ctx: TenantContext; input: ForecastQuery }) {
  const budget = input.budget_id ? await findBudget(ctx, input.budget_id) : null;
  const period = budget?.period ?? input.period;
  const tz = budget?.timezone ?? input.tz;
  const now = ctx.now();
  const window = periodWindow(period, now, tz);
  const filters = {
    provider: budget?.scope_provider ?? undefined,
    model: budget?.scope_model ?? undefined,
    feature: budget?.scope_feature ?? undefined,
  };
  const { daily, since } = await readDailySpend(ctx, addDays(Math.min(window.start, now), -HISTORY_DAYS, tz), now, tz, filters);
  const f = forecastPeriod({ daily, dataSince: since, periodStart: window.start, periodEnd: window.end, now, timeZone: tz, budget_nanos: budget?.amount_nanos });
  return {
    period,
    tz,
    period_start: new Date(window.start).toISOString(),
    period_end: new Date(window.end).toISOString(),
    method: f.method,
    spent: nanosToUsd(f.month_to_date_nanos),
    projected_spend: nanosToUsd(f.projected_nanos),
    low: nanosToUsd(f.low_nanos),
    high: nanosToUsd(f.high_nanos),
    interval: 0.8,
    spent_nanos: f.month_to_date_nanos,
    projected_nanos: f.projected_nanos,
    low_nanos: f.low_nanos,
    high_nanos: f.high_nanos,
    days_elapsed: f.days_elapsed,
    days_total: f.days_total,
    budget: budget ? nanosToUsd(budget.amount_nanos) : null,
    budget_id: budget?.id ?? null,
    crosses_budget_on: f.crosses_budget_on ?? null,
    note: f.note ?? null,
    daily: f.path.map((d) => ({ date: d.date, spend: nanosToUsd(d.spend_nanos), cumulative: nanosToUsd(d.cumulative_nanos), forecast: d.forecast })),
  };
}
