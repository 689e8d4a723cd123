import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry.js';

describe('retry policy', () => {
  it('retries network-level trouble, 5xx and 429, never another 4xx', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 413, 422].some(isRetryableStatus)).toBe(false);
  });

  it('backs off exponentially with full jitter up to the ceiling', () => {
    const policy = { baseMs: 500, maxMs: 30_000 };
    expect(backoffDelay(0, policy, () => 1)).toBe(500);
    expect(backoffDelay(3, policy, () => 1)).toBe(4000);
    expect(backoffDelay(20, policy, () => 1)).toBe(30_000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2000);
    expect(backoffDelay(3, policy, () => 0)).toBe(50);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 10, 27, 10, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.25', now)).toBe(250);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
