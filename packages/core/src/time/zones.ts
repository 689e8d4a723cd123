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

/** The wall clock in `timeZone` at instant `ms`, from Intl (slow: about 10 us). */
function intlWallClock(ms: number, timeZone: string): WallClock {
  const w: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type in w) w[part.type as keyof WallClock] = Number(part.value);
  }
  return w;
}

/** Intl's offset of `timeZone` at `ms`, whole seconds. */
function intlOffset(ms: number, timeZone: string): number {
  const w = intlWallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The zone's offset at the start of each UTC hour asked about, per zone. Summaries map hundreds
 * of hourly rollups to local days on every request; Intl is asked once per hour, ever.
 */
const hourOffsets = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 200_000;

/** Zones whose offset is 0 at every instant: no cache to fill, no Intl to ask. */
const ALWAYS_UTC = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/Greenwich', 'GMT', 'UCT', 'Universal', 'Zulu']);

function offsetAtHour(hour: number, timeZone: string): number {
  if (ALWAYS_UTC.has(timeZone)) return 0;
  let zone = hourOffsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    hourOffsets.set(timeZone, zone);
  }
  let offset = zone.get(hour);
  if (offset === undefined) {
    if (zone.size >= MAX_CACHED_HOURS) zone.clear();
    offset = intlOffset(hour, timeZone);
    zone.set(hour, offset);
  }
  return offset;
}

/**
 * The offset that holds through the whole UTC hour containing `ms`, or undefined when it changes
 * within it (a DST change, or an offset with seconds from before standard time).
 */
function steadyOffset(ms: number, timeZone: string): number | undefined {
  const hour = Math.floor(ms / HOUR_MS) * HOUR_MS;
  const offset = offsetAtHour(hour, timeZone);
  return offset === offsetAtHour(hour + HOUR_MS, timeZone) ? offset : undefined;
}

/** The wall clock in `timeZone` at instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const offset = steadyOffset(ms, timeZone);
  if (offset === undefined) return intlWallClock(ms, timeZone);
  const d = new Date(ms + offset);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Paris in winter: +3_600_000). */
export function zoneOffset(ms: number, timeZone: string): number {
  return steadyOffset(ms, timeZone) ?? intlOffset(ms, timeZone);
}

/**
 * The instant at which the wall clock in `timeZone` reads the given local date and time. A time
 * that occurs twice (clocks going back) is the first; one that never occurs (clocks going
 * forward: 02:30 in spring, or midnight in zones that change at midnight) is placed after the
 * gap, as Temporal's "compatible" disambiguation does, so a day always starts on that day.
 */
export function zonedInstant(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets in force a day before and a day after: one transition at most lies between.
  const early = local - zoneOffset(local - DAY_MS, timeZone);
  const late = local - zoneOffset(local + DAY_MS, timeZone);
  if (early === late) return early;
  const asked = new Date(local);
  const readsAsAsked = (t: number) => {
    const w = wallClock(t, timeZone);
    return w.year === asked.getUTCFullYear() && w.month === asked.getUTCMonth() + 1 && w.day === asked.getUTCDate() && w.hour === asked.getUTCHours() && w.minute === asked.getUTCMinutes();
  };
  const first = Math.min(early, late);
  const second = Math.max(early, late);
  if (readsAsAsked(first)) return first;
  if (readsAsAsked(second)) return second;
  // In a gap: the offset from before it puts the time after it.
  return early;
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
