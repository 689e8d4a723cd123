/** When to try again after a failed send: exponential backoff with full jitter, or what the server asked for. */

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Full-jitter exponential backoff: a random wait in [0, min(max, base * 2^attempt)], floored at
 * a tenth of the base so a restarted server is not hit by every client at the same instant.
 * @example backoffDelay(3, { baseMs: 500, maxMs: 30_000 }) // somewhere in 50..4000 ms
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(policy.baseMs / 10, Math.round(random() * ceiling));
}

/** Longest wait a `Retry-After` header may impose, so a wrong header cannot stall capture for hours. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Milliseconds to wait from a `Retry-After` header (delta seconds or an HTTP date), or null.
 * @example parseRetryAfter('2') // 2000
 */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

/** Network errors, 5xx and 429 are worth retrying; any other 4xx would fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
