import { describe, expect, it } from 'vitest';
import { decimalToNanos, usdNumberToNanos } from './decimal-nanos.js';

describe('decimal amounts to nanodollars', () => {
  it.each([
    ['1234.5678', 2, 12_345_678_000],
    ['0.0000001', 2, 1],
    ['0.00000005', 2, 1],
    ['0.00000004', 2, 0],
    ['-12.5', 2, -125_000_000],
    ['100', 2, 1_000_000_000],
    ['.5', 0, 500_000_000],
    ['7.', 0, 7_000_000_000],
    ['1e-7', 0, 100],
    ['1.5E+2', 0, 150_000_000_000],
    ['0.123456789', 0, 123_456_789],
    ['0.1234567895', 0, 123_456_790],
  ])('%s in units of 10^-%i USD is %i nanos', (text, unit, nanos) => {
    expect(decimalToNanos(text, unit)).toBe(nanos);
  });

  it('refuses what is not a decimal number, and sums past 2^53 nanos', () => {
    for (const bad of ['', '.', 'abc', '1,5', '1.2.3', '0x10', 'NaN']) expect(() => decimalToNanos(bad, 0), bad).toThrow('not a decimal amount');
    expect(() => decimalToNanos('10000000', 0)).toThrow('too large');
  });

  it('reads a JSON number of USD from its shortest decimal form, where float arithmetic would be off', () => {
    expect(usdNumberToNanos(0.1)).toBe(100_000_000);
    expect(usdNumberToNanos(0.29)).toBe(290_000_000);
    expect(Math.round(0.29 * 1e9)).toBe(290_000_000);
    expect(usdNumberToNanos(4.35)).toBe(4_350_000_000);
    expect(usdNumberToNanos(1.005)).toBe(1_005_000_000);
    expect(usdNumberToNanos(123456.123456789)).toBe(123_456_123_456_789);
    // Half a nanodollar rounds up, as written; multiplying the float lands just below the half.
    expect(usdNumberToNanos(1.0000000015)).toBe(1_000_000_002);
    expect(Math.round(1.0000000015 * 1e9)).toBe(1_000_000_001);
    expect(usdNumberToNanos(1e-9)).toBe(1);
  });
});
