import { InvalidArgumentError } from 'commander';

/** Option parsers: a bad value is a usage error (exit 2) with a sentence saying what is expected. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`"${value}" is not a whole number of 1 or more.`);
  }
  return n;
}

export function tokenCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`"${value}" is not a token count; use a whole number such as 1000.`);
  }
  return n;
}

export function usdAmount(value: string): number {
  const cleaned = value.trim().replace(/^\$/, '').replaceAll(',', '');
  const n = Number(cleaned);
  if (cleaned === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`"${value}" is not an amount in USD; use a number such as 100 or 49.99.`);
  }
  return n;
}

export function percentage(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1000) {
    throw new InvalidArgumentError(`"${value}" is not a percentage; use a number such as 80.`);
  }
  return n;
}

export function timeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a time zone; use an IANA name such as UTC or Europe/Paris.`);
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A calendar date (YYYY-MM-DD) or an ISO 8601 instant with its offset; kept as typed. */
export function dateOrInstant(value: string): string {
  const trimmed = value.trim();
  const day = DATE_ONLY.exec(trimmed);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const check = new Date(Date.UTC(year, month - 1, date));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === date) {
      return trimmed;
    }
  } else if (DATE_TIME.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return trimmed;
  }
  throw new InvalidArgumentError(
    `"${value}" is not a date; use YYYY-MM-DD (e.g. 2026-01-31) or an ISO 8601 time such as 2026-01-31T12:00:00Z.`,
  );
}

/**
 * The roles of an org, highest first. The server's ROLES (@llmlab/core), spelled out here so that
 * defining the commands loads no schema; parsers.test.ts holds the two lists equal.
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email address, trimmed; the server has the last word, this only catches a typo early. */
export function emailAddress(value: string): string {
  const trimmed = value.trim();
  if (!EMAIL.test(trimmed)) throw new InvalidArgumentError(`"${value}" is not an email address; use one such as ana@example.com.`);
  return trimmed;
}
