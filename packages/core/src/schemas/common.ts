import { z } from 'zod';
import { ERROR_CODES } from '../errors/app-error.js';

/** An instant in an answer: ISO 8601 in UTC, as `Date.prototype.toISOString` writes it. */
export const IsoTime = z.iso.datetime();
/** A local calendar date "YYYY-MM-DD" in the time zone the request named. */
export const LocalDate = z.iso.date();
/** USD as a decimal number, computed from integer nanodollars. */
export const Usd = z.number().describe('USD');
/** The exact amount in nanodollars (1e-9 USD). */
export const Nanos = z.number().int().describe('nanodollars (1e-9 USD)');
/** A count of tokens or calls. */
export const Count = z.number().int().min(0);
/** Epoch milliseconds. */
export const EpochMs = z.number().int().describe('epoch milliseconds');

/**
 * Where an answer read from raw events covers less than the range asked: the project's retention
 * removed the raw events before this instant (their totals stay in the hourly rollups). Null when
 * the answer covers its whole range.
 */
export const RawEventsSince = IsoTime.nullable().describe(
  "Null when the answer covers its whole range. Else the project's retention removed the raw events before this instant and the answer covers only what follows it (totals from the hourly rollups still include them)",
);

/**
 * Every error answer: `{error: {code, message, details?}}`; the HTTP status follows from `code`.
 * @example { error: { code: 'not_found', message: 'budget 42 not found' } }
 */
export const ErrorAnswer = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional().describe('validation_failed: [{path, message}]; rate_limited: {retry_after}'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorAnswer = z.infer<typeof ErrorAnswer>;

/** The answer of a write that has nothing else to say (logout, deletes). */
export const SuccessAnswer = z.strictObject({ success: z.literal(true) }).meta({ id: 'Success' });
export type SuccessAnswer = z.infer<typeof SuccessAnswer>;

/** GET /health. */
export const HealthAnswer = z.strictObject({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }).meta({ id: 'Health' });
export type HealthAnswer = z.infer<typeof HealthAnswer>;
