/**
 * Calendar arithmetic in an IANA time zone without a date library: Intl gives the wall clock
 * of an instant; the inverse is found by correcting a UTC guess by the zone's offset.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. "Europe/Paris", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `timeZone` at instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Paris in winter: +3_600_000). */
export function zoneOffset(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` reads the given local date and time. */
export function zonedInstant(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  let guess = local - zoneOffset(local, timeZone);
  // A second pass settles instants next to a DST change.
  guess = local - zoneOffset(guess, timeZone);
  return guess;
}

/** "YYYY-MM-DD" of instant `ms` in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Start of the local day containing `ms`. */
export function startOfDay(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return zonedInstant(timeZone, w.year, w.month, w.day);
}

/** Start of the local day `n` days after the local day containing `ms` (n may be negative). */
export function addDays(ms: number, n: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + n));
  return zonedInstant(timeZone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Start of the local month containing `ms`. */
export function startOfMonth(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return zonedInstant(timeZone, w.year, w.month, 1);
}

/** Start of the next local month after the one containing `ms`. */
export function startOfNextMonth(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return w.month === 12
    ? zonedInstant(timeZone, w.year + 1, 1, 1)
    : zonedInstant(timeZone, w.year, w.month + 1, 1);
}

/** Start of the local ISO week (Monday) containing `ms`. */
export function startOfWeek(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(); // 0 = Sunday
  const back = (weekday + 6) % 7;
  return addDays(ms, -back, timeZone);
}

/** Days in the local month containing `ms`. */
export function daysInMonth(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
}

/** The local dates from the day of `fromMs` to the day of `toMs`, inclusive, in order. */
export function localDatesBetween(fromMs: number, toMs: number, timeZone: string): string[] {
  const dates: string[] = [];
  let cursor = startOfDay(fromMs, timeZone);
  const last = localDate(toMs, timeZone);
  for (let i = 0; i < 4000; i++) {
    const d = localDate(cursor, timeZone);
    dates.push(d);
    if (d === last) break;
    cursor = addDays(cursor, 1, timeZone);
  }
  return dates;
}
