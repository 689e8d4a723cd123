import { describe, expect, it } from 'vitest';
import { formatCount, formatMoney, formatPercent, shortDate, sortedBySpend } from './format.js';

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

  it('orders a breakdown by spend, then by name', () => {
    expect(sortedBySpend({ b: 1, a: 1, c: 5 })).toEqual([['c', 5], ['a', 1], ['b', 1]]);
    expect(shortDate('2026-11-03')).toBe('Nov 3');
  });
});
