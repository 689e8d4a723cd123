/**
 * Arithmetic on local calendar dates ("YYYY-MM-DD"). A calendar date has no time zone, so UTC
 * date math on it is exact; only the mapping from instants to dates needs the zone.
 */
const DAY_MS = 86_400_000;

function toUtcDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromUtcDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The date `n` days after `date` (n may be negative). */
export function shiftDate(date: string, n: number): string {
  return fromUtcDay(toUtcDay(date) + n);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toUtcDay(to) - toUtcDay(from);
}

/** Day of the week of a calendar date, 0 = Sunday. */
export function weekdayOf(date: string): number {
  return new Date(toUtcDay(date) * DAY_MS).getUTCDay();
}
