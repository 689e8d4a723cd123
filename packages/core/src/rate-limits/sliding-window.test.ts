import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coveringLimits, describeLimit, type RateLimitRule, refusalMessage } from './rate-limit-rules.js';
import { bucketAt, countsAt, currentAllowance, msUntilEmpty, msUntilFits, remainingOf, type SlidingWindow, slidingUsage } from './sliding-window.js';

const MINUTE: SlidingWindow = { windowMs: 60_000, buckets: 6 };
const T = Date.parse('2026-11-27T12:00:00Z');

/** The counts at `at` of calls made at the given times (each counting 1), as a store of buckets would hold them. */
function countsOf(w: SlidingWindow, at: number, calls: number[]): number[] {
  return countsAt(w, at, calls.map((t) => ({ start: bucketAt(w, t).start, amount: 1 })));
}

describe('a sliding window of 10 requests a minute', () => {
  it('admits 10 calls at once, refuses the 11th until the first bucket starts sliding out a minute later', () => {
    const calls = Array.from({ length: 10 }, () => T);
    const counts = countsOf(MINUTE, T, calls);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 10]);
    expect(remainingOf(MINUTE, 10, counts, 0)).toBe(0);
    expect(currentAllowance(MINUTE, 10, counts, 0)).toBe(10);
    // At T + 61 s the bucket of T weighs 9 of its 10: one call fits again.
    expect(msUntilFits(MINUTE, 10, counts, 0, 1)).toBe(61_000);
    const later = countsOf(MINUTE, T + 61_000, calls);
    expect(later).toEqual([10, 0, 0, 0, 0, 0, 0]);
    expect(remainingOf(MINUTE, 10, later, bucketAt(MINUTE, T + 61_000).elapsed)).toBe(1);
    expect(remainingOf(MINUTE, 10, countsOf(MINUTE, T + 60_999, calls), 999)).toBe(0);
    // Two minutes on, all of it has slid out.
    expect(msUntilEmpty(MINUTE, counts, 0)).toBe(70_000);
    expect(countsOf(MINUTE, T + 70_000, calls)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('weighs the oldest bucket by the part of it still inside the window', () => {
    expect(slidingUsage(MINUTE, [10, 0, 0, 0, 0, 3, 1], 2_500)).toBe(11.5);
    expect(currentAllowance(MINUTE, 10, [10, 0, 0, 0, 0, 3, 1], 2_500)).toBe(-1);
    expect(remainingOf(MINUTE, 20, [10, 0, 0, 0, 0, 3, 1], 2_500)).toBe(8);
  });

  it('never fits a call larger than the limit, and fits at once what there is room for', () => {
    expect(msUntilFits(MINUTE, 1000, [0, 0, 0, 0, 0, 0, 0], 0, 1001)).toBe(Number.POSITIVE_INFINITY);
    expect(msUntilFits(MINUTE, 1000, [0, 0, 0, 0, 0, 0, 999], 4_000, 1)).toBe(0);
  });

  it('msUntilFits is the first millisecond the check admits the call again', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(6), { minLength: 7, maxLength: 7 }),
        fc.integer({ min: 0, max: 9_999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        (counts, elapsed, limit, amount) => {
          const fits = (ms: number) => {
            const at = T + elapsed + ms;
            const aged = countsAt(MINUTE, at, counts.map((amountIn, i) => ({ start: T - (6 - i) * 10_000, amount: amountIn })));
            const e = bucketAt(MINUTE, at).elapsed;
            return aged[6] + amount <= currentAllowance(MINUTE, limit, aged, e);
          };
          const wait = msUntilFits(MINUTE, limit, counts, elapsed, amount);
          if (!Number.isFinite(wait)) return amount > limit;
          return fits(wait) && (wait === 0 || !fits(wait - 1));
        },
      ),
    );
  });
});

describe('which rate limits cover a call', () => {
  const rule = (id: string, over: Partial<RateLimitRule>): RateLimitRule => ({ id, name: id, scope: null, per: null, limits: { requests: 10 }, ...over });

  it('matches the scope, gives each end user its own window, and skips a per-user limit for a call naming none', () => {
    const rules = [
      rule('b', { per: 'end_user' }),
      rule('a', { scope: { provider: 'openai', model: 'GPT-4o' } }),
      rule('c', { scope: { feature: 'search' } }),
      rule('d', { scope: { api_key_id: 'key-1' }, per: 'feature' }),
    ];
    expect(coveringLimits(rules, { provider: 'openai', model: 'gpt-4o', endUser: 'c-42', apiKeyId: 'key-1', feature: 'chat' }).map((l) => [l.rule.id, l.value])).toEqual([
      ['a', ''],
      ['b', 'c-42'],
      ['d', 'chat'],
    ]);
    expect(coveringLimits(rules, { provider: 'anthropic', model: 'gpt-4o', feature: 'search' }).map((l) => l.rule.id)).toEqual(['c']);
  });

  it('words a refusal with the limit, whose window and when to retry', () => {
    const limit = { rule: rule('x', { name: 'batch team', per: 'end_user' }), value: 'customer-42' };
    expect(refusalMessage(limit, 'requests', 11_200, 1)).toBe('LLMLab rate limit "batch team": 10 requests a minute for end user customer-42; retry in 12 s');
    const tokens = { rule: rule('y', { name: 'tokens', limits: { tokens: 1000 } }), value: '' };
    expect(refusalMessage(tokens, 'tokens', Number.POSITIVE_INFINITY, 4197)).toBe(
      'LLMLab rate limit "tokens": 1,000 tokens a minute; this call alone counts 4,197 tokens (prompt estimate plus max output), more than the limit allows: lower max_tokens or the prompt',
    );
    expect(describeLimit('cost', 5_000_000_000)).toBe('$5.00 an hour');
    expect(describeLimit('requests', 1)).toBe('1 request a minute');
  });
});
