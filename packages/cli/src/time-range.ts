import { usageError } from './errors.js';

/** --from and --to as the server takes them: instants, each day given as YYYY-MM-DD read in `tz`. */
export interface TimeRange {
  from: string | undefined;
  to: string | undefined;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day given as YYYY-MM-DD starts at local midnight in `tz`, and `--to` includes its whole day;
 * an ISO instant passes as typed. Fails with a usage error when --from is not before --to.
 */
export async function resolveTimeRange(options: { from?: string; to?: string }, tz: string): Promise<TimeRange> {
  const [from, to] = await Promise.all([toInstant(options.from, tz, false), toInstant(options.to, tz, true)]);
  if (from && to && Date.parse(from) >= Date.parse(to)) {
    throw usageError(`--from ${options.from} is not before --to ${options.to}; swap them.`);
  }
  return { from, to };
}

async function toInstant(value: string | undefined, tz: string, endOfDay: boolean): Promise<string | undefined> {
  if (value === undefined || !DATE_ONLY.test(value)) return value;
  const { zonedInstant } = await import('@llmlab/core');
  const [year, month, day] = value.split('-').map(Number);
  return new Date(zonedInstant(tz, year, month, day + (endOfDay ? 1 : 0))).toISOString();
}
