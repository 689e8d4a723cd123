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

  const usd = (n: number) => usdToNanos(n);
  const at = (day: number, hour = 0) => Date.UTC(2026, 10, day, hour);
  const spend = (...days: [string, number][]): DailySpend[] => days.map(([date, dollars]) => ({ date, spend_nanos: usd(dollars) }));

  // Less than one day of data: nothing is projected; low and projected are the spend so far, high
  // is the pace since the data began kept around the clock to the period's end (Nov 16 10:00 to
  // Dec 1 is 350 hours).
  it.each([
    { name: '$24 between 08:00 and 10:00 on Nov 16', daily: spend(['2026-11-16', 24]), now: at(16, 10), dataSince: at(16, 8), high: usd(24 + 12 * 350), since: '2026-11-16T08:00:00.000Z' },
    { name: '$24 on Nov 16 by 10:00, no hour given (counted from midnight)', daily: spend(['2026-11-16', 24]), now: at(16, 10), dataSince: undefined, high: usd(24 + 2.4 * 350), since: '2026-11-16T00:00:00.000Z' },
    { name: '$12 since Nov 15 11:00 and $12 on Nov 16 by 10:00 (23 hours)', daily: spend(['2026-11-15', 12], ['2026-11-16', 12]), now: at(16, 10), dataSince: at(15, 11), high: 389_217_391_304, since: '2026-11-15T11:00:00.000Z' },
  ])('says there is not enough data for $name', ({ daily, now, dataSince, high, since }) => {
    const f = forecastPeriod({ daily, periodStart: nov.start, periodEnd: nov.end, now, timeZone: 'UTC', budget_nanos: usd(100), dataSince });
    expect(f).toMatchObject({ method: 'insufficient_data', month_to_date_nanos: usd(24), projected_nanos: usd(24), low_nanos: usd(24), high_nanos: high, crosses_budget_on: null });
    expect(f.note).toBe(
      `Not enough data yet: less than one day of spend (since ${since}). No projection is made: low and projected are the spend so far; high assumes the pace so far holds around the clock until the period ends.`,
    );
    expect(f.path.at(-1)).toMatchObject({ date: '2026-11-30', cumulative_nanos: usd(24), forecast: true });
  });

  it('says there is not enough data for a daily budget period either', () => {
    const day = periodWindow('daily', at(16, 10), 'UTC');
    const f = forecastPeriod({ daily: spend(['2026-11-16', 24]), periodStart: day.start, periodEnd: day.end, now: at(16, 10), timeZone: 'UTC', dataSince: at(16, 8) });
    expect(f).toMatchObject({ method: 'insufficient_data', projected_nanos: usd(24), low_nanos: usd(24), high_nanos: usd(24 + 12 * 14) });
  });

  // From one day of data: the spend per day of data, a partial first day and today each weighted by
  // the share of the day the data cover.
  it.each([
    // 4 h of Nov 15 and 21 h of Nov 16 hold $40: $38.40 a day; 3 h of today and 14 days to go.
    { name: 'an evening start and most of today', daily: spend(['2026-11-15', 10], ['2026-11-16', 30]), now: at(16, 21), dataSince: at(15, 20), projected: usd(40 + 0.125 * 38.4 + 14 * 38.4), low: usd(40), high: 1_311_868_433_795 },
    // Two whole days and half of today hold $70: $28 a day.
    { name: 'two whole days and half of today', daily: spend(['2026-11-14', 20], ['2026-11-15', 20], ['2026-11-16', 30]), now: at(16, 12), dataSince: undefined, projected: usd(70 + 0.5 * 28 + 14 * 28), low: 108_073_480_842, high: 843_926_519_158 },
    // Exactly one day, 14 h of Nov 15 and 10 h of Nov 16: $24 a day.
    { name: 'exactly one day', daily: spend(['2026-11-15', 12], ['2026-11-16', 12]), now: at(16, 10), dataSince: at(15, 10), projected: usd(24 + (14 / 24) * 24 + 14 * 24), low: usd(24), high: 853_129_966_710 },
  ])('projects the run rate of $name', ({ daily, now, dataSince, projected, low, high }) => {
    const f = forecastPeriod({ daily, periodStart: nov.start, periodEnd: nov.end, now, timeZone: 'UTC', dataSince });
    expect(f).toMatchObject({ method: 'run_rate', projected_nanos: projected, low_nanos: low, high_nanos: high });
    expect(f.note).toBeUndefined();
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
