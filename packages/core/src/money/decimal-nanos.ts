/**
 * A decimal amount written as text (`"1234.5678"`, `"-0.5"`, `"1e-7"`) in a unit worth
 * 10^-`unitDigits` USD (0 for dollars, 2 for cents) to integer nanodollars, computed on the
 * digits (no floating point), rounded half away from zero at the nanodollar. Throws on text that
 * is not a decimal number or a result beyond 2^53 nanos (~$9M).
 * @example decimalToNanos('1234.5678', 2) // 12_345_678_000 (1234.5678 cents = $12.345678)
 * @example decimalToNanos('0.06', 0) // 60_000_000
 */
export function decimalToNanos(text: string, unitDigits: number): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  // digits * 10^(shift) nanos, where the text's value is digits * 10^-(fraction length) * 10^exponent units.
  const digits = BigInt(`${whole}${fraction}` || '0');
  const shift = 9 - unitDigits + Number(exponent) - fraction.length;
  let nanos: bigint;
  if (shift >= 0) {
    nanos = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    nanos = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) nanos += 1n;
  }
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`amount too large: ${text}`);
  const n = Number(nanos);
  return sign === '-' && n !== 0 ? -n : n;
}

/**
 * A USD amount sent as a JSON number to nanodollars, from its shortest decimal form (the digits
 * the sender wrote, whenever it wrote at most 15 significant ones), not from float arithmetic.
 * @example usdNumberToNanos(0.1) // 100_000_000
 * @example usdNumberToNanos(1e-7) // 100
 */
export function usdNumberToNanos(usd: number): number {
  if (!Number.isFinite(usd)) throw new Error(`not a finite amount: ${usd}`);
  return decimalToNanos(String(usd), 0);
}
