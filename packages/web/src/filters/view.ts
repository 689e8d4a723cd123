import type { Query } from '../api/client';
import type { GroupBy } from '../api/types';
import { addDays, localDate, startOfMonth, viewerTimeZone, zonedInstant } from './time';

/**
 * What the user is looking at, read from the URL: a date range (7/30/90 days or custom dates)
 * and filters. Every widget derives its requests from this, so a shared link shows the same view.
 */

export const PRESET_DAYS = [7, 30, 90] as const;
export const FILTER_KEYS = ['provider', 'model', 'feature', 'user_id'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export const FILTER_LABELS: Record<FilterKey, string> = {
  provider: 'Provider',
  model: 'Model',
  feature: 'Feature',
  user_id: 'End user',
};

export interface Range {
  /** Inclusive start, epoch ms (start of a local day). */
  from: number;
  /** Exclusive end, epoch ms (start of the local day after the last one shown). */
  to: number;
  /** Number of local days covered. */
  days: number;
  /** Set for the 7/30/90 presets; null for a custom range. */
  preset: number | null;
  label: string;
}

export interface View {
  tz: string;
  range: Range;
  previous: Range;
  filters: Filters;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function parseLocalDate(value: string | null, tz: string): number | null {
  if (!value || !DATE_RE.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number);
  const ms = zonedInstant(tz, y, m, d);
  return Number.isFinite(ms) ? ms : null;
}

function countDays(from: number, to: number, tz: string): number {
  let days = 0;
  for (let t = from; t < to && days < 3700; t = addDays(t, 1, tz)) days++;
  return days;
}

export function readRange(params: URLSearchParams, tz: string, now = Date.now()): Range {
  const from = parseLocalDate(params.get('from'), tz);
  const toDay = parseLocalDate(params.get('to'), tz);
  if (from !== null && toDay !== null && toDay >= from) {
    const to = addDays(toDay, 1, tz);
    const days = countDays(from, to, tz);
    return { from, to, days, preset: null, label: `${params.get('from')} to ${params.get('to')}` };
  }
  const asked = Number(params.get('days'));
  const days = (PRESET_DAYS as readonly number[]).includes(asked) ? asked : 30;
  return { from: addDays(now, -(days - 1), tz), to: addDays(now, 1, tz), days, preset: days, label: `Last ${days} days` };
}

/** The same number of days right before `range`, for "change vs previous period". */
export function previousRange(range: Range, tz: string): Range {
  const from = addDays(range.from, -range.days, tz);
  return { from, to: range.from, days: range.days, preset: null, label: `previous ${range.days} days` };
}

export function readFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key)?.trim();
    if (v) filters[key] = v;
  }
  return filters;
}

export function readView(params: URLSearchParams, now = Date.now()): View {
  const tz = viewerTimeZone();
  const range = readRange(params, tz, now);
  return { tz, range, previous: previousRange(range, tz), filters: readFilters(params) };
}

export function hasFilters(filters: Filters): boolean {
  return FILTER_KEYS.some((k) => filters[k]);
}

/** API query for a range and the view's filters. */
export function rangeQuery(range: { from: number; to: number }, view: View): Query {
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    tz: view.tz,
    ...view.filters,
  };
}

/** Month to date and the same stretch of the month before, for the "this month" card. */
export function monthWindows(view: View, now = Date.now()) {
  const tz = view.tz;
  const monthStart = startOfMonth(now, tz);
  const tomorrow = addDays(now, 1, tz);
  const prevStart = startOfMonth(monthStart - 1, tz);
  // Compare like with like: the first N days of last month, capped at its end.
  const elapsedDays = countDays(monthStart, tomorrow, tz);
  const prevEnd = Math.min(addDays(prevStart, elapsedDays, tz), monthStart);
  return { current: { from: monthStart, to: tomorrow }, previous: { from: prevStart, to: prevEnd } };
}

export function dayWindows(view: View, now = Date.now()) {
  const today = addDays(now, 0, view.tz);
  return {
    current: { from: today, to: addDays(now, 1, view.tz) },
    previous: { from: addDays(now, -1, view.tz), to: today },
  };
}

export function toDateInput(ms: number, tz: string): string {
  return localDate(ms, tz);
}

/** What the overview can stack its chart by, each named as a noun ("By API key"). */
export const GROUPS: { value: Exclude<GroupBy, 'user'>; label: string }[] = [
  { value: 'model', label: 'model' },
  { value: 'provider', label: 'provider' },
  { value: 'feature', label: 'feature' },
  { value: 'api_key', label: 'API key' },
  { value: 'service_tier', label: 'service tier' },
];

export function readGroup(params: URLSearchParams): Exclude<GroupBy, 'user'> {
  const g = params.get('group_by');
  return g === 'provider' || g === 'feature' || g === 'api_key' || g === 'service_tier' ? g : 'model';
}
