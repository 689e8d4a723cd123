import type { BudgetPeriod } from '../schemas/budgets.js';
import { addDays, startOfDay, startOfMonth, startOfNextMonth, startOfWeek } from '../time/zones.js';

export interface PeriodWindow {
  /** Inclusive start, epoch ms. */
  start: number;
  /** Exclusive end, epoch ms. */
  end: number;
  /** A stable key of the period ("2026-11", "2026-W48" style is avoided: the start's local date). */
  key: string;
}

/**
 * The budget period containing `now`, in the budget's time zone.
 * @example periodWindow('monthly', Date.UTC(2026, 10, 27), 'UTC') // { start: Nov 1, end: Dec 1, ... }
 */
export function periodWindow(period: BudgetPeriod, now: number, timeZone: string): PeriodWindow {
  let start: number;
  let end: number;
  if (period === 'daily') {
    start = startOfDay(now, timeZone);
    end = addDays(now, 1, timeZone);
  } else if (period === 'weekly') {
    start = startOfWeek(now, timeZone);
    end = addDays(start, 7, timeZone);
  } else {
    start = startOfMonth(now, timeZone);
    end = startOfNextMonth(now, timeZone);
  }
  return { start, end, key: `${period}:${new Date(start).toISOString()}` };
}

export interface BudgetEvaluation {
  spent_nanos: number;
  amount_nanos: number;
  percentage: number;
  /** Thresholds (percent) reached in this period, ascending. */
  reached: number[];
  alert: boolean;
  exceeded: boolean;
}

/**
 * Where a budget stands: spend against amount, thresholds reached, and whether to alert.
 * @example evaluateBudget({ amount_nanos: 100e9, spent_nanos: 98.25e9, thresholds: [50, 80, 100], alert_threshold: 80 }).alert // true
 */
export function evaluateBudget(input: {
  amount_nanos: number;
  spent_nanos: number;
  thresholds: readonly number[];
  alert_threshold: number;
}): BudgetEvaluation {
  const ratio = input.amount_nanos > 0 ? input.spent_nanos / input.amount_nanos : 0;
  const percentage = Math.round(ratio * 10_000) / 100;
  return {
    spent_nanos: input.spent_nanos,
    amount_nanos: input.amount_nanos,
    percentage,
    reached: input.thresholds.filter((t) => input.spent_nanos * 100 >= t * input.amount_nanos),
    alert: input.spent_nanos * 100 >= input.alert_threshold * input.amount_nanos,
    exceeded: input.spent_nanos >= input.amount_nanos,
  };
}
