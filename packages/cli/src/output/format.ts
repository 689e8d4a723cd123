/**
 * Display formatting. The server sends USD numbers computed from integer nanodollars; these
 * functions only round them for the eye, never for arithmetic.
 */
const twoPlaces = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * "$1,234.56"; amounts under a cent keep two significant digits ("$0.00042") so that a cheap
 * model's spend does not read as $0.00.
 */
export function formatMoney(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs === 0 || abs >= 0.01) return `${sign}$${twoPlaces.format(abs)}`;
  const places = Math.min(9, 1 - Math.floor(Math.log10(abs)));
  return `${sign}$${abs.toFixed(places)}`;
}

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatPercent(value: number, places = 1): string {
  return `${value.toFixed(places)}%`;
}

/** "YYYY-MM-DD" to "Nov 27". */
export function shortDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** Entries of a `{key: usd}` map, largest first. */
export function sortedBySpend(map: Record<string, number> | undefined): [string, number][] {
  return Object.entries(map ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
