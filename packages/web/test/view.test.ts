import { describe, expect, it } from 'vitest';
import { formatUsd, percentChange } from '../src/components/format';
import { monthWindows, previousRange, readFilters, readRange, type View } from '../src/filters/view';
import { parseThresholds } from '../src/pages/budgets/budget-form';
import { OTHER_KEY, toChartData } from '../src/pages/overview/chart-data';

const NOW = Date.UTC(2026, 10, 27, 15, 30); // 27 Nov 2026, 15:30 UTC

describe('the view read from the URL', () => {
  it('covers the last N local days, today included, up to the start of tomorrow', () => {
    const r = readRange(new URLSearchParams('days=7'), 'UTC', NOW);
    expect(new Date(r.from).toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(new Date(r.to).toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(r.days).toBe(7);
  });

  it('uses the viewer’s time zone for day boundaries', () => {
    const r = readRange(new URLSearchParams('days=30'), 'Europe/Paris', NOW);
    expect(new Date(r.from).toISOString()).toBe('2026-10-28T23:00:00.000Z');
    expect(new Date(r.to).toISOString()).toBe('2026-11-27T23:00:00.000Z');
  });

  it('falls back to 30 days for a days value that is not offered', () => {
    expect(readRange(new URLSearchParams('days=13'), 'UTC', NOW).days).toBe(30);
  });

  it('reads a custom range of whole days and compares it with the same length before', () => {
    const r = readRange(new URLSearchParams('from=2026-11-01&to=2026-11-10'), 'UTC', NOW);
    expect(r.days).toBe(10);
    expect(r.preset).toBeNull();
    const p = previousRange(r, 'UTC');
    expect(new Date(p.from).toISOString()).toBe('2026-10-22T00:00:00.000Z');
    expect(p.to).toBe(r.from);
  });

  it('compares month to date with the same days of last month', () => {
    const view = { tz: 'UTC' } as View;
    const m = monthWindows(view, NOW);
    expect(new Date(m.current.from).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(new Date(m.previous.from).toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(new Date(m.previous.to).toISOString()).toBe('2026-10-28T00:00:00.000Z');
  });

  it('keeps only the filters that have a value', () => {
    expect(readFilters(new URLSearchParams('feature=chat&model=&provider=openai&x=1'))).toEqual({
      feature: 'chat',
      provider: 'openai',
    });
  });
});

describe('numbers as shown', () => {
  it('shows dollars with the places a small LLM bill needs', () => {
    expect([0, 0.5, 0.06, 0.001375, 12.3456, 1234.567].map(formatUsd)).toEqual([
      '$0.00',
      '$0.50',
      '$0.06',
      '$0.001375',
      '$12.3456',
      '$1,234.57',
    ]);
    expect(formatUsd(null)).toBe('—');
  });

  it('gives no percentage change when the previous period spent nothing', () => {
    expect(percentChange(5, 0)).toBeNull();
    expect(percentChange(0, 0)).toBe(0);
    expect(percentChange(3, 4)).toBe(-25);
  });

  it('reads thresholds as whole percentages, sorted and unique', () => {
    expect(parseThresholds('100, 50 80,50')).toEqual([50, 80, 100]);
    expect(parseThresholds('50, abc')).toBeNull();
    expect(parseThresholds('')).toBeNull();
  });
});

describe('chart data', () => {
  it('stacks one column per series and folds the smallest into Other past eight', () => {
    const buckets = ['2026-11-26', '2026-11-27'];
    const series = Array.from({ length: 10 }, (_, i) => ({
      key: `m${i}`,
      total: 10 - i,
      total_nanos: (10 - i) * 1e9,
      points: [
        { t: buckets[0], spend: (10 - i) / 2, calls: 1 },
        { t: buckets[1], spend: (10 - i) / 2, calls: 1 },
      ],
    }));
    const chart = toChartData({ granularity: 'day', group_by: 'model', tz: 'UTC', buckets, series, total: 55, raw_events_since: null, events_read_since: null });
    expect(chart.keys).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', OTHER_KEY]);
    expect(chart.rows[0][OTHER_KEY]).toBe(1.5); // m8 (2/2) + m9 (1/2)
    expect(chart.total).toBe(55);
  });
});
