import { isValidTimeZone } from '@llmlab/core';
import { z } from 'zod';

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
