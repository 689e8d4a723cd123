/** One day of a period: actual spend for past days, forecast for the rest. */
export interface ForecastDay {
  date: string;
  spend_nanos: number;
  /** Spend from the start of the period to the end of this day. */
  cumulative_nanos: number;
  /** True when any part of the day is a forecast (today included). */
  forecast: boolean;
}

/**
 * The first date on which cumulative spend reaches `budgetNanos`, or null when it does not
 * within the path. A budget already reached gives the day it was reached.
 * @example findBudgetCrossing([{ date: '2026-11-01', spend_nanos: 5, cumulative_nanos: 5, forecast: false }], 5) // '2026-11-01'
 */
export function findBudgetCrossing(path: readonly ForecastDay[], budgetNanos: number): string | null {
  for (const day of path) if (day.cumulative_nanos >= budgetNanos) return day.date;
  return null;
}
