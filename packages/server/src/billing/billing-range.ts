import { AppError, DAY_MS } from '@llmlab/core';
import type { DayRange } from './read-provider-bill.js';

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
export const dateOf = (day: number) => new Date(day).toISOString().slice(0, 10);

/**
 * UTC days `from` to `to`, both included, as [from, to) in epoch ms: `to` defaults to today and
 * `from` to `defaultDays` days ending with it. Refuses a range that runs backwards or is longer
 * than `maxDays`, or (with `notAfterToday`) one that ends in the future.
 */
export function billingRange(input: { from?: string; to?: string }, now: number, options: { defaultDays: number; maxDays: number; notAfterToday?: boolean }): DayRange {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const to = input.to === undefined ? today : dayOf(input.to);
  const from = input.from === undefined ? to - (options.defaultDays - 1) * DAY_MS : dayOf(input.from);
  if (from > to) throw new AppError('validation_failed', `from (${dateOf(from)}) is after to (${dateOf(to)})`, [{ path: 'from', message: 'after to' }]);
  if (options.notAfterToday && to > today) throw new AppError('validation_failed', `to (${dateOf(to)}) is after today (${dateOf(today)}, UTC): no bill exists yet`, [{ path: 'to', message: 'after today' }]);
  const days = (to - from) / DAY_MS + 1;
  if (days > options.maxDays) throw new AppError('validation_failed', `the range has ${days} days; at most ${options.maxDays} at once`, [{ path: 'from', message: `more than ${options.maxDays} days before to` }]);
  return { from, to: to + DAY_MS };
}
