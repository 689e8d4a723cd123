import { addDays, DAY_MS, HOUR_MS, localDate, startOfDay } from '../time/zones.js';
import { daysBetween, shiftDate, weekdayOf } from './calendar-dates.js';
import { findBudgetCrossing, type ForecastDay } from './find-budget-crossing.js';
import { type DailyModel, type ForecastMethod, fitDailyModel, type HistoryDay } from './fit-daily-model.js';

export interface DailySpend {
  /** Local date "YYYY-MM-DD" in `timeZone`. */
  date: string;
  spend_nanos: number;
}

export interface ForecastInput {
  /** Daily spend up to and including today (partial), oldest first, zero days included. */
  daily: readonly DailySpend[];
  /** Period bounds in epoch ms: inclusive start, exclusive end (see `periodWindow`). */
  periodStart: number;
  periodEnd: number;
  now: number;
  timeZone: string;
  /** When given, the forecast says on which date the budget is projected to be reached. */
  budget_nanos?: number;
  /**
   * When the data begin (epoch ms), e.g. the start of the first hour with spend; without it the
   * first day with spend counts from its local midnight.
   */
  dataSince?: number;
}

export interface PeriodForecast {
  projected_nanos: number;
  /** 80% interval of the period's total spend. */
  low_nanos: number;
  high_nanos: number;
  method: ForecastMethod;
  /** Spend so far in the period (month to date for a monthly period). */
  month_to_date_nanos: number;
  /** Local days of the period elapsed, today counted by the fraction gone. */
  days_elapsed: number;
  days_total: number;
  /** Date the projected cumulative spend reaches `budget_nanos`; null when it does not. */
  crosses_budget_on?: string | null;
  path: ForecastDay[];
  /** Why there is no projection (method `insufficient_data`), in a sentence for the user. */
  note?: string;
}

/**
 * The 80% interval's half-width in standard errors: a Student t with about 20 degrees of
 * freedom (1.325, not the normal's 1.2816), because the noise itself is estimated from a few
 * weeks of days.
 */
const T80 = 1.325;

/** Gaps in the series become zero days so that day counts stay honest. */
function fillGaps(daily: readonly DailySpend[]): DailySpend[] {
  const byDate = new Map<string, number>();
  for (const d of daily) byDate.set(d.date, (byDate.get(d.date) ?? 0) + d.spend_nanos);
  const dates = [...byDate.keys()].sort();
  if (dates.length === 0) return [];
  const span = daysBetween(dates[0], dates[dates.length - 1]);
  return Array.from({ length: span + 1 }, (_v, i) => {
    const date = shiftDate(dates[0], i);
    return { date, spend_nanos: byDate.get(date) ?? 0 };
  });
}

/** The instant the data begin: `given`, kept within the first day with spend, else that day's midnight. */
function dataStart(firstDate: string, given: number | undefined, timeZone: string, now: number): number {
  // The first spend date is at most today, so its midnight is found from now.
  const dayStart = addDays(now, -daysBetween(firstDate, localDate(now, timeZone)), timeZone);
  const dayEnd = addDays(dayStart, 1, timeZone);
  return given === undefined ? dayStart : Math.min(Math.max(given, dayStart), dayEnd - 1);
}

/** Share of the local day starting at `dayStart` that lies in [from, to). */
function coveredShare(dayStart: number, from: number, to: number, timeZone: string): number {
  const dayEnd = addDays(dayStart, 1, timeZone);
  return Math.max(0, Math.min(to, dayEnd) - Math.max(from, dayStart)) / (dayEnd - dayStart);
}

/** The data from the first day with spend to today, with the share of the first day and of today they cover. */
function coveredHistory(days: readonly DailySpend[], since: number, now: number, timeZone: string): HistoryDay[] {
  const today = localDate(now, timeZone);
  return days
    .map((d, i): HistoryDay => {
      if (i === 0) return { ...d, exposure: coveredShare(startOfDay(since, timeZone), since, now, timeZone) };
      return d.date === today ? { ...d, exposure: coveredShare(startOfDay(now, timeZone), since, now, timeZone) } : d;
    })
    .filter((d) => (d.exposure ?? 1) > 0);
}

/** With less than a day of data nothing is projected: the rest of the period adds nothing to the point forecast. */
const NOT_PROJECTED: DailyModel = { method: 'insufficient_data', predict: () => 0, horizon: () => 0, factor: () => 1, factorVar: 0, noiseVar: () => 0, levelVar: 0, slopeVar: 0 };

/**
 * The model of the data up to now; NOT_PROJECTED while they cover less than a day, as hours of
 * one day say nothing of the rest of it (a morning's burst, a first test call) nor of other days.
 */
function fitData(series: readonly DailySpend[], given: number | undefined, now: number, timeZone: string) {
  const today = localDate(now, timeZone);
  // Days before the first spend are before the project existed, not days it spent nothing.
  const firstSpend = series.findIndex((d) => d.spend_nanos > 0);
  const data = firstSpend < 0 ? [] : series.slice(firstSpend).filter((d) => d.date <= today);
  const since = firstSpend < 0 ? now : dataStart(series[firstSpend].date, given, timeZone, now);
  if (data.length > 0 && now - since < DAY_MS) return { model: NOT_PROJECTED, data, since, lastComplete: undefined };
  const history = coveredHistory(data, since, now, timeZone);
  const complete = history.filter((d) => d.date < today);
  return { model: fitDailyModel(history), data, since, lastComplete: complete[complete.length - 1]?.date };
}

/**
 * Projects the spend of a budget period (a month, a week, a day) with an 80% interval.
 * @example forecastPeriod({ daily, periodStart, periodEnd, now, timeZone: 'UTC' }).projected_nanos
 */
export function forecastPeriod(input: ForecastInput): PeriodForecast {
  const { periodStart, periodEnd, now, timeZone } = input;
  // Calendar arithmetic on the local dates: two zone look-ups instead of one per day.
  const firstDate = localDate(periodStart, timeZone);
  const periodDates = Array.from({ length: daysBetween(firstDate, localDate(periodEnd - 1, timeZone)) + 1 }, (_v, i) => shiftDate(firstDate, i));
  const today = localDate(Math.min(Math.max(now, periodStart), periodEnd - 1), timeZone);
  const dayStart = startOfDay(now, timeZone);
  const dayFraction = now >= periodEnd ? 1 : now < periodStart ? 0 : (now - dayStart) / (addDays(now, 1, timeZone) - dayStart);
  const series = fillGaps(input.daily);
  const actual = new Map(series.map((d) => [d.date, d.spend_nanos]));
  const { model, data, since, lastComplete } = fitData(series, input.dataSince, now, timeZone);
  const insufficient = model === NOT_PROJECTED;
  const lastHistory = lastComplete ?? shiftDate(today, -1);

  const path: ForecastDay[] = [];
  let cumulative = 0;
  let monthToDate = 0;
  let expected = 0;
  let noise = 0;
  let weightSum = 0;
  let weightedHorizon = 0;
  // Forecast spend per weekday: an error in one weekday's factor moves all of those days together.
  const byWeekday = [0, 0, 0, 0, 0, 0, 0];
  for (const date of periodDates) {
    const past = date < today || (date === today && dayFraction >= 1);
    const share = past ? 0 : date === today ? 1 - dayFraction : 1;
    const known = date <= today ? (actual.get(date) ?? 0) : 0;
    const steps = Math.max(1, daysBetween(lastHistory, date));
    const predicted = share > 0 ? model.predict(date, steps) * share : 0;
    monthToDate += known;
    expected += predicted;
    byWeekday[weekdayOf(date)] += predicted;
    const f = model.factor(date);
    noise += share * share * f * f * model.noiseVar(steps);
    weightSum += share * f;
    weightedHorizon += share * f * model.horizon(steps);
    cumulative += known + predicted;
    path.push({ date, spend_nanos: Math.round(known + predicted), cumulative_nanos: Math.round(cumulative), forecast: share > 0 });
  }
  const factorNoise = byWeekday.reduce((a, s) => a + s * s, 0) * model.factorVar;
  const variance = noise + factorNoise + weightSum * weightSum * model.levelVar + weightedHorizon * weightedHorizon * model.slopeVar;
  const spread = T80 * Math.sqrt(variance);
  const elapsed = periodDates.filter((d) => d < today).length + (periodDates.includes(today) ? dayFraction : 0);

  // Without a projection the high end is the pace since the data began, kept around the clock to the period's end.
  const pace = insufficient ? data.reduce((a, d) => a + d.spend_nanos, 0) / Math.max(now - since, HOUR_MS) : 0;
  const result: PeriodForecast = {
    projected_nanos: Math.round(monthToDate + expected),
    low_nanos: Math.round(monthToDate + Math.max(0, expected - spread)),
    high_nanos: Math.round(monthToDate + expected + spread + pace * Math.max(0, periodEnd - Math.max(now, periodStart))),
    method: model.method,
    month_to_date_nanos: Math.round(monthToDate),
    days_elapsed: Math.round(elapsed * 1000) / 1000,
    days_total: periodDates.length,
    path,
  };
  if (input.budget_nanos !== undefined) result.crosses_budget_on = findBudgetCrossing(path, input.budget_nanos);
  if (insufficient) {
    result.note =
      `Not enough data yet: less than one day of spend (since ${new Date(since).toISOString()}). ` +
      'No projection is made: low and projected are the spend so far; high assumes the pace so far holds around the clock until the period ends.';
  }
  return result;
}
