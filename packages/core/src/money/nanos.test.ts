import { describe, expect, it } from 'vitest';
import { formatUsd, formatUsdPrecise, nanosToUsd } from './nanos.js';

describe('formatUsdPrecise', () => {
  it('keeps a small spend instead of rounding it to a cent', () => {
    expect(formatUsdPrecise(nanosToUsd(7_375_000))).toBe('$0.007375');
    expect(formatUsdPrecise(nanosToUsd(10_000_000))).toBe('$0.01');
    expect(formatUsdPrecise(nanosToUsd(540_000_000))).toBe('$0.54');
    expect(formatUsdPrecise(0.5)).toBe('$0.50');
    expect(formatUsdPrecise(0.000015)).toBe('$0.000015');
  });

  it('rounds below $1 to 6 decimals, trailing zeros trimmed', () => {
    expect(formatUsdPrecise(nanosToUsd(123_456_789))).toBe('$0.123457');
    expect(formatUsdPrecise(nanosToUsd(7_375_400))).toBe('$0.007375');
    expect(formatUsdPrecise(nanosToUsd(999_999_999))).toBe('$1.00');
  });

  it('shows cents from $1 up, with thousands separators', () => {
    expect(formatUsdPrecise(1)).toBe('$1.00');
    expect(formatUsdPrecise(nanosToUsd(1_007_375_000))).toBe('$1.01');
    expect(formatUsdPrecise(1234.5)).toBe('$1,234.50');
    expect(formatUsdPrecise(1234.5)).toBe(formatUsd(1234.5));
  });

  it('never shows a non-zero spend as $0.00, and zero as $0.00', () => {
    expect(formatUsdPrecise(nanosToUsd(150))).toBe('$0.00000015');
    expect(formatUsdPrecise(nanosToUsd(1))).toBe('$0.000000001');
    expect(formatUsdPrecise(0)).toBe('$0.00');
  });

  it('puts the sign before the dollar', () => {
    expect(formatUsdPrecise(-0.007375)).toBe('-$0.007375');
    expect(formatUsdPrecise(-12.3)).toBe('-$12.30');
  });
});
