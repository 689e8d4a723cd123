import { describe, expect, it } from 'vitest';
import { RateLimitError } from '../errors.js';
import { RateLimitGuard } from './rate-limit-guard.js';
import type { RateLimit } from './types.js';

const T = Date.parse('2026-11-27T12:00:00Z');

function limit(over: Partial<RateLimit>): RateLimit {
  return { id: 'rl-1', name: 'each customer', scope: null, per: null, requests_per_minute: 3, tokens_per_minute: null, cost_per_hour: null, created_at: '', updated_at: '', ...over };
}

async function guardWith(limits: RateLimit[], clock: { now: number }) {
  const guard = new RateLimitGuard(async () => limits, 5000, 1000, () => {}, () => clock.now);
  await guard.refresh();
  return guard;
}

const call = (userId?: string, over: Record<string, string> = {}) => ({ provider: 'openai', model: 'gpt-4o', feature: undefined, userId, ...over });

describe('RateLimitGuard', () => {
  it("holds each customer to requests_per_minute in this process, and lets the minute slide", async () => {
    const clock = { now: T };
    const guard = await guardWith([limit({ per: 'end_user' })], clock);
    expect([1, 2, 3].map(() => guard.check(call('customer-42')).kind)).toEqual(['allow', 'allow', 'allow']);
    const refused = guard.check(call('customer-42'));
    expect(refused.kind).toBe('block');
    const error = refused.kind === 'block' ? refused.error : undefined;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error?.message).toBe('LLMLab rate limit "each customer": 3 requests a minute for end user customer-42; retry in 64 s');
    expect(error?.details).toEqual({ retry_after: 64, rate_limit: { id: 'rl-1', name: 'each customer', requests_per_minute: 3 }, value: 'customer-42' });
    // Another customer has a window of their own; a call naming none is not held by a limit per customer.
    expect(guard.check(call('customer-7')).kind).toBe('allow');
    expect(guard.check(call()).kind).toBe('allow');
    clock.now = T + 64_000;
    expect(guard.check(call('customer-42')).kind).toBe('allow');
    expect(guard.check(call('customer-42')).kind).toBe('block');
  });

  it('applies scopes, gives the process one window for a limit per API key, and leaves limits of one key id to the server', async () => {
    const clock = { now: T };
    const guard = await guardWith(
      [
        limit({ id: 'a', name: 'search', requests_per_minute: 1, scope: { feature: 'search', provider: 'openai' } }),
        limit({ id: 'b', name: 'per key', requests_per_minute: 2, per: 'api_key' }),
        limit({ id: 'c', name: 'one key', requests_per_minute: 1, scope: { api_key_id: 'key-1' } }),
        limit({ id: 'd', name: 'tokens only', requests_per_minute: null, tokens_per_minute: 10 }),
      ],
      clock,
    );
    expect(guard.check(call(undefined, { feature: 'search' })).kind).toBe('allow');
    const second = guard.check(call(undefined, { feature: 'search' }));
    expect(second.kind === 'block' && second.error.message).toMatch(/^LLMLab rate limit "search": 1 request a minute; retry in \d+ s$/);
    // The refused call was not counted: the per-key limit still has one call left.
    expect(guard.check(call()).kind).toBe('allow');
    const third = guard.check(call());
    expect(third.kind === 'block' && third.error.message).toMatch(/^LLMLab rate limit "per key": 2 requests a minute for API key \(this process's key\); retry in \d+ s$/);
  });

  it('lets calls through when the limits cannot be read, or when the server has no rate limits', async () => {
    const warnings: string[] = [];
    const down = new RateLimitGuard(async () => Promise.reject(new Error('ECONNREFUSED')), 5000, 1000, (m) => warnings.push(m));
    const first = down.check(call('c'));
    expect(first.kind).toBe('wait');
    if (first.kind === 'wait') await first.ready;
    expect(down.check(call('c')).kind).toBe('allow');
    expect(warnings).toEqual(['could not read rate limits, calls are let through until it can: ECONNREFUSED']);
  });
});
