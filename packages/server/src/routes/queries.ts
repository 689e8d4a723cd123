import { AppError, isValidTimeZone } from '@llmlab/core';
import { z } from 'zod';
import type { EventFilters } from '../events/list-events.js';

/** Years 0000 to 9999: time-zone arithmetic past them throws (the Date range ends at 275760). */
const MIN_TIME_MS = Date.parse('0000-01-01T00:00:00Z');
const MAX_TIME_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** A time given as epoch ms or an ISO date / date-time. */
export const TimeParam = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(ms) || ms < MIN_TIME_MS || ms > MAX_TIME_MS) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a date: use ISO 8601 (2026-11-27 or 2026-11-27T10:00:00Z) or epoch milliseconds` });
      return z.NEVER;
    }
    return ms;
  });

export const TimeZoneParam = z
  .string()
  .max(64)
  .default('UTC')
  .refine(isValidTimeZone, { message: 'unknown time zone; use an IANA name such as Europe/Paris' });

const label = z.string().min(1).max(200);

export const EventFilterQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  provider: label.optional(),
  model: label.optional(),
  feature: label.optional(),
  user_id: label.optional(),
  status: z.enum(['success', 'error']).optional(),
  source: z.enum(['api', 'sdk', 'proxy', 'otlp']).optional(),
});

export function toEventFilters(q: z.infer<typeof EventFilterQuery>): EventFilters {
  if (q.from !== undefined && q.to !== undefined && q.from >= q.to) throw new AppError('bad_request', 'from must be before to');
  return { from: q.from, to: q.to, provider: q.provider, model: q.model, feature: q.feature, user_id: q.user_id, status: q.status, source: q.source };
}
