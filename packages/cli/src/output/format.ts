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

/**
 * A file size in binary units, one decimal from KB on.
 * @example formatBytes(5_347_737) // '5.1 MB'
 */
export function formatBytes(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
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

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as "2026-11-27 14:03" on the clocks of `tz` (an IANA zone), the way a log reads. */
export function formatLocalTime(instant: string | number, tz: string): string {
  let format = localFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    localFormats.set(tz, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** The calendar day "2026-11-27" of an instant in `tz`. */
export function formatLocalDate(instant: string | number, tz: string): string {
  return formatLocalTime(instant, tz).slice(0, 10);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "just now", "5 min ago", "3 h ago", "2 days ago"; undefined from 30 days on, where a date reads better. */
export function timeAgo(then: number, now: number): string | undefined {
  const elapsed = Math.max(0, now - then);
  if (elapsed < MINUTE_MS) return 'just now';
  if (elapsed < HOUR_MS) return `${Math.floor(elapsed / MINUTE_MS)} min ago`;
  if (elapsed < DAY_MS) return `${Math.floor(elapsed / HOUR_MS)} h ago`;
  const days = Math.floor(elapsed / DAY_MS);
  if (days < 30) return days === 1 ? '1 day ago' : `${days} days ago`;
  return undefined;
}

/** Entries of a `{key: usd}` map, largest first. */
export function sortedBySpend(map: Record<string, number> | undefined): [string, number][] {
  return Object.entries(map ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
