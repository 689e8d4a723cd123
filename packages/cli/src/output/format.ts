/**
 * Display formatting. The server sends USD numbers computed from integer nanodollars; these
 * functions only round them for the eye, never for arithmetic.
 */

/** "1234567" to "1,234,567". Plain string work: building an Intl.NumberFormat costs a short command ~10 ms. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * "$1,234.56"; amounts under a cent keep two significant digits ("$0.00042", "$0.002") so that
 * a cheap model's spend does not read as $0.00.
 */
export function formatMoney(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs === 0 || abs >= 0.01) {
    const [whole, cents] = abs.toFixed(2).split('.');
    return `${sign}$${groupThousands(whole)}.${cents}`;
  }
  const places = Math.min(9, 1 - Math.floor(Math.log10(abs)));
  return `${sign}$${abs.toFixed(places).replace(/0+$/, '')}`;
}

export function formatCount(n: number): string {
  const rounded = Math.round(n);
  return `${rounded < 0 ? '-' : ''}${groupThousands(String(Math.abs(rounded)))}`;
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
