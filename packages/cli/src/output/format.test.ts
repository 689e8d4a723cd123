import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatLocalDate, formatLocalTime, formatMoney, formatPercent, shortDate, sortedBySpend, timeAgo } from './format.js';

describe('money and counts for display', () => {
  it('shows dollars with cents and thousands separators', () => {
    expect(formatMoney(0.12)).toBe('$0.12');
    expect(formatMoney(1234567.891)).toBe('$1,234,567.89');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(-3.5)).toBe('-$3.50');
  });

  it('keeps two significant digits under a cent instead of showing $0.00', () => {
    expect(formatMoney(0.002)).toBe('$0.002');
    expect(formatMoney(0.00042)).toBe('$0.00042');
    expect(formatMoney(0.0015)).toBe('$0.0015');
    expect(formatMoney(0.000000001)).toBe('$0.000000001');
  });

  it('groups counts and rounds percentages', () => {
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatCount(999)).toBe('999');
    expect(formatPercent(85.714)).toBe('85.7%');
  });

  it('shows file sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(4096)).toBe('4.0 KB');
    expect(formatBytes(5_347_737)).toBe('5.1 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });

  it('orders a breakdown by spend, then by name', () => {
    expect(sortedBySpend({ b: 1, a: 1, c: 5 })).toEqual([['c', 5], ['a', 1], ['b', 1]]);
    expect(shortDate('2026-11-03')).toBe('Nov 3');
  });
});

describe('times for display', () => {
  it('shows an instant on the clocks of the zone, across a day boundary', () => {
    expect(formatLocalTime('2026-11-27T23:30:00Z', 'UTC')).toBe('2026-11-27 23:30');
    expect(formatLocalTime('2026-11-27T23:30:00Z', 'Asia/Tokyo')).toBe('2026-11-28 08:30');
    expect(formatLocalTime(Date.parse('2026-07-01T00:05:00Z'), 'America/New_York')).toBe('2026-06-30 20:05');
    expect(formatLocalDate('2026-11-27T23:30:00Z', 'Asia/Tokyo')).toBe('2026-11-28');
  });

  it('says how long ago in the largest whole unit, and gives up after 30 days', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(timeAgo(now - 20_000, now)).toBe('just now');
    expect(timeAgo(now + 5_000, now)).toBe('just now');
    expect(timeAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(timeAgo(now - 3 * 3_600_000 - 59 * 60_000, now)).toBe('3 h ago');
    expect(timeAgo(now - 36 * 3_600_000, now)).toBe('1 day ago');
    expect(timeAgo(now - 29 * 86_400_000, now)).toBe('29 days ago');
    expect(timeAgo(now - 30 * 86_400_000, now)).toBeUndefined();
  });
});
