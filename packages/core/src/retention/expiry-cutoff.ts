import { DAY_MS } from '../time/zones.js';

/**
 * The instant before which a project's raw events expire: `retentionDays` before `now`, but
 * never after the start of a period whose spend is still read from raw events (`keepFrom`: the
 * current periods of budgets per end user, key or tag), so those budgets stay exact whatever
 * the retention.
 * @example expiryCutoff(Date.parse('2026-03-31T10:30:00Z'), 30, []) // Date.parse('2026-03-01T10:30:00Z')
 * @example expiryCutoff(Date.parse('2026-03-31T10:30:00Z'), 1, [Date.parse('2026-03-01T00:00:00Z')]) // Date.parse('2026-03-01T00:00:00Z')
 */
export function expiryCutoff(now: number, retentionDays: number, keepFrom: readonly number[] = []): number {
  return Math.min(now - retentionDays * DAY_MS, ...keepFrom);
}
