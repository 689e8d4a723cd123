import { describe, expect, it } from 'vitest';
import { shiftDate, weekdayOf } from './calendar-dates.js';
import { fitDailyModel } from './fit-daily-model.js';

// 2026-10-05 is a Monday; 35 days end on Sunday 2026-11-08.
const days = (n: number, value: (i: number, date: string) => number) =>
  Array.from({ length: n }, (_v, i) => {
    const date = shiftDate('2026-10-05', i);
    return { date, spend_nanos: value(i, date) };
  });
const wobble = (i: number) => 1 + 0.05 * Math.sin(i * 2.1);

describe('fitDailyModel', () => {
  it('finds a weekday pattern and forecasts a Saturday lower than a Tuesday', () => {
    const m = fitDailyModel(days(35, (i, date) => ([6, 0].includes(weekdayOf(date)) ? 20 : 100) * wobble(i)));
    expect(m.method).toBe('weekly_seasonal');
    const tuesday = m.predict('2026-11-10', 2);
    const saturday = m.predict('2026-11-14', 6);
    expect(saturday / tuesday).toBeGreaterThan(0.15);
    expect(saturday / tuesday).toBeLessThan(0.25);
  });

  it('sees no weekly pattern in noise and follows a trend', () => {
    const m = fitDailyModel(days(35, (i) => (50 + 2 * i) * wobble(i)));
    expect(m.method).toBe('damped_trend');
    // The last day is 50 + 2 * 34 = 118: a week later the trend is near 132.
    expect(m.predict('2026-11-15', 7)).toBeGreaterThan(125);
    expect(m.predict('2026-11-15', 7)).toBeLessThan(138);
  });

  it('restarts from the new level within days of a step change', () => {
    const m = fitDailyModel(days(35, (i) => (i < 30 ? 10 : 40) * wobble(i)));
    expect(m.predict('2026-11-09', 1)).toBeGreaterThan(36);
    expect(m.predict('2026-11-09', 1)).toBeLessThan(44);
  });

  it('forecasts nothing for a project without spend', () => {
    expect(fitDailyModel(days(10, () => 0)).method).toBe('none');
  });
});

describe('fitDailyModel under a week of whole days', () => {
  it.each([
    { name: 'whole days', history: [{ date: '2026-11-14', spend_nanos: 20 }, { date: '2026-11-15', spend_nanos: 40 }], level: 30 },
    { name: 'a first evening (a quarter day) and three quarters of today', history: [{ date: '2026-11-15', spend_nanos: 10, exposure: 0.25 }, { date: '2026-11-16', spend_nanos: 30, exposure: 0.75 }], level: 40 },
    { name: 'two whole days and half of today', history: [{ date: '2026-11-14', spend_nanos: 20 }, { date: '2026-11-15', spend_nanos: 20 }, { date: '2026-11-16', spend_nanos: 30, exposure: 0.5 }], level: 28 },
  ])('projects the spend per day of data for $name', ({ history, level }) => {
    const m = fitDailyModel(history);
    expect(m.method).toBe('run_rate');
    expect(m.predict('2026-11-20', 4)).toBeCloseTo(level, 9);
  });

  it('leaves a partly covered first day out once a week of whole days exists', () => {
    const history = [{ date: '2026-10-04', spend_nanos: 1, exposure: 1 / 24 }, ...days(7, () => 50)];
    const m = fitDailyModel(history);
    expect(m.method).toBe('damped_trend');
    expect(m.predict('2026-10-12', 1)).toBe(50);
  });
});
