/** Money is kept as integer nanodollars (1e-9 USD); these are the only conversions. */
export const NANOS_PER_USD = 1_000_000_000;

/**
 * Nanodollars to a USD number for the wire. Exact for any sum below 2^53 nanos (~$9M).
 * @example nanosToUsd(60_000_000) // 0.06
 */
export function nanosToUsd(nanos: number | bigint): number {
  return Number(nanos) / NANOS_PER_USD;
}

/**
 * A USD amount given by a person (a budget, a price) to nanodollars, rounded to the nearest nano.
 * @example usdToNanos(100) // 100_000_000_000
 */
export function usdToNanos(usd: number): number {
  return Math.round(usd * NANOS_PER_USD);
}

/** USD for display: fixed places, never used for arithmetic. */
export function formatUsd(usd: number, places = 2): string {
  const sign = usd < 0 ? '-' : '';
  return `${sign}$${Math.abs(usd).toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places })}`;
}

/**
 * USD for messages people read: cents from $1 up; below $1 up to 6 decimals with trailing zeros
 * trimmed (at least 2), so a small spend is not rounded to a cent it never reached. A non-zero
 * amount under half a millionth keeps its nanodollars rather than reading as $0.00.
 * @example formatUsdPrecise(0.007375) // "$0.007375"
 * @example formatUsdPrecise(1234.5) // "$1,234.50"
 */
export function formatUsdPrecise(usd: number): string {
  const abs = Math.abs(usd);
  if (abs >= 1) return formatUsd(usd, 2);
  const places = abs !== 0 && abs < 0.0000005 ? 9 : 6;
  const sign = usd < 0 ? '-' : '';
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: places })}`;
}
