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

/** A scope value (an end user, a key id): trimmed, 1 to 200 characters, as the server takes it. */
export function scopeValue(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 200) throw new InvalidArgumentError(`"${value}" is not a value to count; give 1 to 200 characters.`);
  return trimmed;
}

/** The most tag pairs a budget's scope takes (the server refuses more). */
export const MAX_TAGS = 10;

/**
 * One repeatable `--tag key=value`, added to the pairs given before it.
 * @example tagPair('team=search', { env: 'prod' }) // { env: 'prod', team: 'search' }
 */
export function tagPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  const key = value.slice(0, at).trim();
  const tag = value.slice(at + 1).trim();
  if (at < 0 || key === '' || tag === '' || key.length > 64 || tag.length > 200) {
    throw new InvalidArgumentError(`"${value}" is not a tag; use key=value, such as team=search.`);
  }
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`Tag "${key}" is given twice; a call carries one value per tag.`);
  if (Object.keys(previous).length >= MAX_TAGS) throw new InvalidArgumentError(`A budget takes at most ${MAX_TAGS} tags.`);
  return { ...previous, [key]: tag };
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

/** A calendar date (YYYY-MM-DD) only, as the billing comparison counts whole UTC days. */
export function calendarDate(value: string): string {
  const trimmed = dateOrInstant(value);
  if (!DATE_ONLY.test(trimmed)) throw new InvalidArgumentError(`"${value}" is not a day; use YYYY-MM-DD (e.g. 2026-01-31).`);
  return trimmed;
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

/** The scopes of an API key, as the server names them. */
export const KEY_SCOPES = ['ingest', 'read', 'admin'] as const;

/** The providers a key may be limited to, as the server takes them. */
export const KEY_PROVIDERS = ['openai', 'anthropic', 'google', 'azure', 'cohere', 'groq', 'deepseek', 'mistral', 'together', 'fireworks', 'openrouter', 'x-ai', 'perplexity', 'cerebras', 'ollama', 'vllm'] as const;

/** What a rate limit may give each value its own window of. */
export const RATE_LIMIT_PER = ['end_user', 'api_key', 'feature'] as const;

/**
 * A comma list of names, trimmed, empty items dropped, each named once.
 * @example nameList('gpt-4o, gpt-4o-mini,') // ['gpt-4o', 'gpt-4o-mini']
 */
export function nameList(value: string): string[] {
  const names = [...new Set(value.split(',').map((n) => n.trim()).filter((n) => n !== ''))];
  if (names.length === 0 || names.some((n) => n.length > 200)) {
    throw new InvalidArgumentError(`"${value}" is not a list of names; separate them with commas, such as gpt-4o,gpt-4o-mini.`);
  }
  return names;
}

/** A comma list whose every item is one of `allowed`. */
export function choiceList<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const names = nameList(value);
    const wrong = names.find((n) => !(allowed as readonly string[]).includes(n));
    if (wrong !== undefined) throw new InvalidArgumentError(`"${wrong}" is not one of ${allowed.join(', ')}.`);
    return names as T[];
  };
}

/** An amount of USD per hour, at most what the server takes. */
export function hourlyUsd(value: string): number {
  const n = usdAmount(value);
  if (n > 1_000_000) throw new InvalidArgumentError(`"${value}" is more than 1,000,000 USD an hour.`);
  return n;
}

/** The longest retention the server takes (core's MAX_RETENTION_DAYS; retention-days.test.ts holds them equal). */
export const MAX_RETENTION_DAYS = 3650;

/**
 * How many days a project keeps its raw events: a whole number of days, or off (forever: null).
 * @example retentionDays('30') // 30
 * @example retentionDays('off') // null
 */
export function retentionDays(value: string): number | null {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === 'forever') return null;
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || n < 1 || n > MAX_RETENTION_DAYS) {
    throw new InvalidArgumentError(`"${value}" is not a retention; give a number of days from 1 to ${MAX_RETENTION_DAYS}, or off to keep raw events forever.`);
  }
  return n;
}

/**
 * When a key stops working: a day means its start in UTC, else the instant given.
 * @example expiryInstant('2026-12-31') // '2026-12-31T00:00:00.000Z'
 */
export function expiryInstant(value: string): string {
  return new Date(Date.parse(dateOrInstant(value).length === 10 ? `${value.trim()}T00:00:00Z` : value.trim())).toISOString();
}
