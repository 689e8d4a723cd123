/**
 * Calendar helpers come from core's browser-safe time module (no price data, no Node APIs);
 * it is imported by file so the dashboard bundle never pulls the price catalog in.
 */
export { addDays, localDate, startOfDay, startOfMonth, zonedInstant, DAY_MS } from '../../../core/src/time/zones';

/** The viewer's IANA time zone: days and months on every widget are the viewer's own. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
