import type { Query } from '../../api/client';
import type { AuditAction } from '../../api/types';
import { addDays, zonedInstant } from '../../filters/time';

/** The audit log's filters as the form holds them: dates are the viewer's local days, inclusive. */
export interface AuditFilters {
  from: string;
  to: string;
  actor: string;
  action: AuditAction | '';
}

export const NO_FILTERS: AuditFilters = { from: '', to: '', actor: '', action: '' };

export function isFiltered(f: AuditFilters): boolean {
  return Boolean(f.from || f.to || f.actor.trim() || f.action);
}

function startOfLocalDay(date: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = zonedInstant(tz, Number(m[1]), Number(m[2]), Number(m[3]));
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The GET /api/audit-log query for `filters` in time zone `tz`; `to` covers its whole day.
 * @example auditQuery({ from: '2026-11-01', to: '2026-11-01', actor: '', action: '' }, 'UTC') // { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' }
 */
export function auditQuery(filters: AuditFilters, tz: string): Query {
  const from = startOfLocalDay(filters.from, tz);
  const toDay = startOfLocalDay(filters.to, tz);
  return {
    ...(from !== null ? { from: new Date(from).toISOString() } : {}),
    ...(toDay !== null ? { to: new Date(addDays(toDay, 1, tz)).toISOString() } : {}),
    ...(filters.actor.trim() ? { actor: filters.actor.trim() } : {}),
    ...(filters.action ? { action: filters.action } : {}),
  };
}

/** Why the filters cannot be applied, or null. */
export function checkFilters(filters: AuditFilters): string | null {
  if (filters.from && filters.to && filters.to < filters.from) return 'The "to" date is before the "from" date.';
  return null;
}
