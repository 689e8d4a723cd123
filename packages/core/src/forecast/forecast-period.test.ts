import { beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../money/nanos.js';
import { periodWindow } from '../budgets/periods.js';
import { shiftDate, weekdayOf } from './calendar-dates.js';
import { forecastPeriod, type DailySpend } from './forecast-period.js';

/** mulberry32: a seeded generator, so every backtest run sees the same series. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

type Shape = (day: number, date: string) => number;
const FIRST = '2025-01-01';
const DAYS = 243; // through 2025-08-31

const shapes: Record<string, (seed: number) => Shape> = {
  flat: () => () => 10,
  trend: () => (day) => 4 + 0.12 * day,
  weekly: () => (_day, date) => [2.5, 12, 12, 11, 12, 10, 3][weekdayOf(date)],
  step: (seed) => (day) => (day < 60 + seed * 13 ? 8 : 20),
};

function generate(shape: Shape, seed: number): DailySpend[] {
  const rand = seeded(seed * 7919 + 17);
  return Array.from({ length: DAYS }, (_v, day) => {
    const date = shiftDate(FIRST, day);
    const usd = Math.max(0, shape(day, date) * (1 + 0.12 * gaussian(rand)));
    return { date, spend_nanos: usdToNanos(usd) };
  });
}

interface Backtest {
  windows: number;
  covered: number;
  error: number;
  naiveError: number;
}

/** Forecasts each month from several days into it and scores against what was really spent. */
function backtest(kind: string): Backtest {
  const result: Backtest = { windows: 0, covered: 0, error: 0, naiveError: 0 };
  for (let seed = 0; seed < 10; seed++) {
    const series = generate(shapes[kind](seed), seed);
    for (let month = 2; month <= 7; month++) {
      const { start, end } = periodWindow('monthly', Date.UTC(2025, month, 1), 'UTC');
      const truth = series.filter((d) => d.date >= new Date(start).toISOString().slice(0, 10) && d.date < new Date(end).toISOString().slice(0, 10));
      const total = truth.reduce((a, d) => a + d.spend_nanos, 0);
      for (const dayOfMonth of [3, 6, 9, 12, 15, 18, 21, 24, 27]) {
        const now = Date.UTC(2025, month, dayOfMonth, 12);
        const today = new Date(now).toISOString().slice(0, 10);
        // Today's row holds the half day already spent.
        const daily = series.filter((d) => d.date <= today).map((d) => (d.date === today ? { ...d, spend_nanos: d.spend_nanos / 2 } : d));
        const f = forecastPeriod({ daily, periodStart: start, periodEnd: end, now, timeZone: 'UTC' });
        const naive = (f.month_to_date_nanos * f.days_total) / f.days_elapsed;
        result.windows++;
        if (total >= f.low_nanos && total <= f.high_nanos) result.covered++;
        result.error += Math.abs(f.projected_nanos - total) / total;
        result.naiveError += Math.abs(naive - total) / total;
      }
    }
  }
  return result;
}

describe('forecastPeriod backtests on generated series', () => {
  let results: Record<string, Backtest> = {};
  beforeAll(() => {
    results = Object.fromEntries(Object.keys(shapes).map((k) => [k, backtest(k)]));
  }, 120_000);

  it.each(Object.keys(shapes))('the 80 percent interval covers the real month total in 65 to 95 percent of the %s windows', (kind) => {
    const r = results[kind];
    expect(r.windows).toBe(540);
    expect(r.covered / r.windows).toBeGreaterThanOrEqual(0.65);
    expect(r.covered / r.windows).toBeLessThanOrEqual(0.95);
  });

  it.each(['trend', 'weekly'])('beats the naive month-to-date run rate on the %s series', (kind) => {
    const r = results[kind];
    expect(r.error).toBeLessThan(r.naiveError * 0.8);
  });

  it('stays as close as the run rate on flat and step series', () => {
    for (const kind of ['flat', 'step']) expect(results[kind].error).toBeLessThan(results[kind].naiveError * 1.1);
  });
});

describe('forecastPeriod', () => {
  const nov = periodWindow('monthly', Date.UTC(2026, 10, 15), 'UTC');
  const flat = (days: number, usd: number): DailySpend[] =>
    Array.from({ length: days }, (_v, i) => ({ date: shiftDate('2026-10-01', i), spend_nanos: usdToNanos(usd) }));

  it('projects a steady $10 a day to $300 for November with a tight interval', () => {
    // Oct 1 .. Nov 15 complete at $10, Nov 16 starts at midnight: 15 days spent, 15 to go.
    const f = forecastPeriod({ daily: flat(46, 10), periodStart: nov.start, periodEnd: nov.end, now: Date.UTC(2026, 10, 16), timeZone: 'UTC' });
    expect(f.month_to_date_nanos).toBe(usdToNanos(150));
    expect(f.days_elapsed).toBe(15);
    expect(f.days_total).toBe(30);
    expect(f.projected_nanos).toBe(usdToNanos(300));
    expect(f.low_nanos).toBe(usdToNanos(300));
    expect(f.high_nanos).toBe(usdToNanos(300));
    expect(f.method).toBe('damped_trend');
  });

  it('says on which day the budget is projected to be crossed', () => {
    const f = forecastPeriod({
      daily: flat(46, 10),
      periodStart: nov.start,
      periodEnd: nov.end,
      now: Date.UTC(2026, 10, 16),
      timeZone: 'UTC',
      budget_nanos: usdToNanos(240),
    });
    expect(f.crosses_budget_on).toBe('2026-11-24');
    const under = forecastPeriod({ daily: flat(46, 10), periodStart: nov.start, periodEnd: nov.end, now: Date.UTC(2026, 10, 16), timeZone: 'UTC', budget_nanos: usdToNanos(301) });
    expect(under.crosses_budget_on).toBeNull();
  });

  it('counts local days in the period time zone', () => {
    const tz = 'America/New_York';
    const w = periodWindow('monthly', Date.UTC(2026, 10, 15), tz);
    const daily = Array.from({ length: 10 }, (_v, i) => ({ date: shiftDate('2026-11-01', i), spend_nanos: usdToNanos(3) }));
    // 2026-11-11 06:00 in New York: ten local days complete, a quarter of the eleventh gone.
    const f = forecastPeriod({ daily, periodStart: w.start, periodEnd: w.end, now: Date.UTC(2026, 10, 11, 11), timeZone: tz });
    expect(f.days_total).toBe(30);
    expect(f.days_elapsed).toBe(10.25);
    expect(f.month_to_date_nanos).toBe(usdToNanos(30));
    expect(f.method).toBe('damped_trend');
    // 30 spent + three quarters of today + 19 days, at $3 a day
    expect(f.projected_nanos).toBe(usdToNanos(30 + 0.75 * 3 + 19 * 3));
  });

  it('extrapolates the first hours of a new project and admits a wide interval', () => {
    const f = forecastPeriod({
      daily: [{ date: '2026-11-01', spend_nanos: usdToNanos(2) }],
      periodStart: nov.start,
      periodEnd: nov.end,
      now: Date.UTC(2026, 10, 1, 12),
      timeZone: 'UTC',
    });
    expect(f.method).toBe('run_rate');
    expect(f.projected_nanos).toBe(usdToNanos(2 + 4 * 29.5));
    expect(f.low_nanos).toBeLessThan(f.projected_nanos);
    expect(f.high_nanos).toBeGreaterThan(f.projected_nanos);
  });

  it('projects zero for a project that spends nothing', () => {
    const f = forecastPeriod({ daily: flat(20, 0), periodStart: nov.start, periodEnd: nov.end, now: Date.UTC(2026, 10, 5), timeZone: 'UTC' });
    expect(f).toMatchObject({ projected_nanos: 0, low_nanos: 0, high_nanos: 0, method: 'none' });
  });

  it('returns the actual total once the period is over', () => {
    const f = forecastPeriod({ daily: flat(70, 1), periodStart: nov.start, periodEnd: nov.end, now: Date.UTC(2026, 11, 10), timeZone: 'UTC' });
    expect(f.projected_nanos).toBe(usdToNanos(30));
    expect(f.high_nanos).toBe(usdToNanos(30));
    expect(f.days_elapsed).toBe(30);
  });
});
