import { weekdayOf } from './calendar-dates.js';
import { median, noiseSigma, theilSenSlope } from './robust-stats.js';

/** How a forecast was made; `insufficient_data` when the data cover less than one day (see forecastPeriod). */
export type ForecastMethod = 'weekly_seasonal' | 'damped_trend' | 'run_rate' | 'none' | 'insufficient_data';

/** A day of spend; `exposure` is the share of the day the data cover (a project's first day, today), 1 when absent. */
export interface HistoryDay {
  date: string;
  spend_nanos: number;
  exposure?: number;
}

/** A fitted model of daily spend: a point forecast and the variance terms of its error. */
export interface DailyModel {
  method: ForecastMethod;
  /** Expected spend (nanos) on `date`, `steps` days after the last day of history. */
  predict(date: string, steps: number): number;
  /** The damped trend horizon of a step: how many slopes the forecast has moved by then. */
  horizon(steps: number): number;
  /** Multiplicative weekday factor of a date (1 without seasonality). */
  factor(date: string): number;
  /** Variance of the noise of one day `steps` ahead, on the deseasonalised scale. */
  noiseVar(steps: number): number;
  /** Variance of an estimated weekday factor (0 without seasonality). */
  factorVar: number;
  /** Variance of the level estimate and of the slope, on the deseasonalised scale. */
  levelVar: number;
  slopeVar: number;
}

/** Days of history the fit looks at: eight weeks of pattern, recent enough to adapt. */
const MAX_HISTORY = 56;
const TREND_WINDOW = 56;
const MIN_TREND_DAYS = 7;
/** Smoothing of the level: a half-life of about a week. */
const ALPHA = 0.1;
/** Enough history to estimate a weekly pattern from three full weeks. */
export const SEASONAL_MIN_DAYS = 21;
/** 99.9th percentile of chi-square with 6 degrees of freedom: the weekday pattern must be real. */
const SEASONAL_CHI2 = 22.5;
/** How far (in standard errors) recent days must leave the level to count as a step change. */
const SHIFT_T = 4;

/**
 * Multiplicative weekday factors from ratios to a centred 7-day mean, or null when there is no
 * weekly pattern distinguishable from noise.
 */
function weekdayFactors(dates: readonly string[], values: readonly number[]): { factors: number[]; variance: number } | null {
  const ratios: number[][] = [[], [], [], [], [], [], []];
  for (let t = 3; t + 3 < values.length; t++) {
    let sum = 0;
    for (let k = t - 3; k <= t + 3; k++) sum += values[k];
    if (sum > 0) ratios[weekdayOf(dates[t])].push(values[t] / (sum / 7));
  }
  if (ratios.some((r) => r.length < 2)) return null;
  const raw = ratios.map(median);
  const mean = raw.reduce((a, b) => a + b, 0) / 7;
  if (mean <= 0) return null;
  const factors = raw.map((f) => f / mean);
  // One noise level for all weekdays: seven MADs of a handful of ratios each are too noisy.
  const spread = 1.4826 * median(ratios.flatMap((r, d) => r.map((x) => Math.abs(x - raw[d]))));
  let chi2 = 0;
  let variance = 0;
  for (let d = 0; d < 7; d++) {
    // Standard error of a median: 1.2533 times that of a mean.
    const se = (1.2533 * spread) / mean / Math.sqrt(ratios[d].length);
    variance += (se * se) / 7;
    chi2 += se > 0 ? ((factors[d] - 1) / se) ** 2 : factors[d] === 1 ? 0 : Number.POSITIVE_INFINITY;
  }
  return chi2 > SEASONAL_CHI2 ? { factors, variance } : null;
}

/**
 * Exponentially weighted level of a series and its age: how many days, on average, the
 * weights look back. A trend makes the level lag by slope times that age.
 */
function smooth(values: readonly number[], alpha: number): { level: number; age: number } {
  let level = values[0];
  let age = 0;
  for (let t = 1; t < values.length; t++) {
    level += alpha * (values[t] - level);
    age = (1 - alpha) * (age + 1);
  }
  return { level, age };
}

/**
 * The number of recent days since a step change in level, or 0 when there is none: the recent
 * mean is compared with what the level before it predicted, for each candidate length.
 */
function daysSinceShift(z: readonly number[], sigma: number, slope: number): number {
  let best = 0;
  let bestT = SHIFT_T;
  for (let m = 3; m <= TREND_WINDOW / 2 && z.length - m >= MIN_TREND_DAYS; m++) {
    const before = z.slice(0, z.length - m);
    const after = z.slice(z.length - m);
    const prior = smooth(before, ALPHA);
    const expected = prior.level + slope * (prior.age + (m + 1) / 2);
    const mean = after.reduce((a, b) => a + b, 0) / m;
    const t = Math.abs(mean - expected) / (sigma * Math.sqrt(1 / m + ALPHA / (2 - ALPHA)));
    if (t > bestT) {
      bestT = t;
      best = m;
    }
  }
  return best;
}

const NO_SPEND: DailyModel = { method: 'none', predict: () => 0, horizon: () => 0, factor: () => 1, factorVar: 0, noiseVar: () => 0, levelVar: 0, slopeVar: 0 };

/**
 * Under a week of days: the spend per day of data, each day weighted by the share of it the data
 * cover, so a project's first evening or this morning counts as the fraction of a day it is (not
 * as a whole day, which would understate an evening start and extrapolate a morning's burst).
 */
function runRate(days: readonly HistoryDay[]): DailyModel {
  const exposure = days.reduce((a, d) => a + (d.exposure ?? 1), 0);
  const level = exposure > 0 ? days.reduce((a, d) => a + d.spend_nanos, 0) / exposure : 0;
  if (level <= 0) return NO_SPEND;
  const full = days.filter((d) => (d.exposure ?? 1) >= 1).map((d) => d.spend_nanos);
  const meanAbs = full.reduce((a, v) => a + Math.abs(v), 0) / Math.max(full.length, 1);
  // Under three whole days the noise cannot be measured: assume a day can vary by its whole level.
  const relSigma = full.length >= 3 && meanAbs > 0 ? noiseSigma(full) / meanAbs : 1;
  const sigma = relSigma * level;
  return {
    method: 'run_rate',
    predict: () => level,
    horizon: () => 0,
    factor: () => 1,
    factorVar: 0,
    noiseVar: () => sigma * sigma,
    // The level is a mean over `exposure` days of data.
    levelVar: (sigma * sigma) / exposure,
    slopeVar: 0,
  };
}

/**
 * Fits daily spend (oldest first, zero days included): a weekday pattern when three weeks show
 * one, a robust (Theil-Sen) trend kept only when significant and damped, an exponentially
 * weighted level, and a restart of the level after a step change. Partly covered days (see
 * HistoryDay) only count while there is less than a week of whole days (see runRate).
 * @example fitDailyModel([{ date: '2026-11-15', spend_nanos: 10e9, exposure: 0.25 }, { date: '2026-11-16', spend_nanos: 30e9, exposure: 0.75 }]).predict('2026-11-17', 1) // 40e9
 */
export function fitDailyModel(history: readonly HistoryDay[]): DailyModel {
  const whole = history.filter((d) => (d.exposure ?? 1) >= 1);
  if (whole.length < MIN_TREND_DAYS) return runRate(history);
  const recent = whole.slice(-MAX_HISTORY);
  const dates = recent.map((d) => d.date);
  const values = recent.map((d) => d.spend_nanos);
  const n = values.length;
  if (values.every((v) => v === 0)) return NO_SPEND;

  const seasonal = n >= SEASONAL_MIN_DAYS ? weekdayFactors(dates, values) : null;
  const factors = seasonal?.factors;
  const factor = (date: string) => (factors ? factors[weekdayOf(date)] : 1);
  // A weekday that never sees spend has factor 0: deseasonalise it as if it were average.
  const z = values.map((v, t) => (factor(dates[t]) > 0 ? v / factor(dates[t]) : v));

  const w = z.slice(-TREND_WINDOW);
  const meanAbs = w.reduce((a, v) => a + Math.abs(v), 0) / w.length;
  // Spend noise grows with spend: estimate it relative to the level, apply it at the forecast's.
  const relSigma = noiseSigma(w) / meanAbs;
  const tMean = (w.length - 1) / 2;
  const sxx = w.reduce((a, _v, t) => a + (t - tMean) ** 2, 0);
  const rawSlope = theilSenSlope(w);
  const rawSlopeVar = (relSigma * meanAbs) ** 2 / sxx;
  // A slope within three standard errors of zero is noise: extrapolating it only adds error.
  let slope = rawSlope * rawSlope > 9 * rawSlopeVar ? rawSlope : 0;

  let level: number;
  let levelShare: number;
  const shifted = n >= MIN_TREND_DAYS + 3 && relSigma > 0 ? daysSinceShift(z, relSigma * meanAbs, slope) : 0;
  if (shifted > 0) {
    // After a step the old slope was fitted across the step: start afresh from the new level.
    slope = 0;
    level = z.slice(-shifted).reduce((a, b) => a + b, 0) / shifted;
    levelShare = 1 / shifted;
  } else {
    const alpha = Math.max(ALPHA, 1 / n);
    const smoothed = smooth(z, alpha);
    level = smoothed.level + slope * smoothed.age;
    levelShare = alpha / (2 - alpha);
  }
  const sigmaNow = relSigma * Math.max(level, 0);
  // A short history makes a trend a guess: damp it harder.
  const phi = n >= SEASONAL_MIN_DAYS ? 0.99 : 0.9;
  const horizon = (steps: number) => (phi * (1 - phi ** steps)) / (1 - phi);

  return {
    method: factors ? 'weekly_seasonal' : 'damped_trend',
    predict: (date, steps) => Math.max(0, level + slope * horizon(steps)) * factor(date),
    horizon,
    factor,
    factorVar: seasonal?.variance ?? 0,
    noiseVar: (steps) => (relSigma * Math.max(0, level + slope * horizon(steps))) ** 2,
    levelVar: levelShare * sigmaNow * sigmaNow,
    slopeVar: slope === 0 ? 0 : rawSlopeVar,
  };
}
