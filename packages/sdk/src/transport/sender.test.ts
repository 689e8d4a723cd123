import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../events/wire-event.js';
import type { RawAnswer } from './http.js';
import { Sender } from './sender.js';

const event = (n: number): WireEvent => ({ event_id: `e-${n}`, provider: 'openai', model: 'gpt-4o', input_tokens: n, output_tokens: 1, timestamp: 0 });

function sender(answers: (RawAnswer | Error)[], overrides: { maxQueueSize?: number; batchSize?: number } = {}) {
  const posts: string[][] = [];
  const logs: string[] = [];
  const s = new Sender({
    post: async (events) => {
      posts.push(events.map((e) => e.event_id));
      const next = answers.shift() ?? { status: 200, retryAfter: null, body: {} };
      if (next instanceof Error) throw next;
      return next;
    },
    batchSize: overrides.batchSize ?? 10,
    flushIntervalMs: 60_000,
    maxQueueSize: overrides.maxQueueSize ?? 1000,
    backoff: { baseMs: 5, maxMs: 20 },
    warn: (m) => logs.push(m),
  });
  return { s, posts, logs };
}

describe('Sender', () => {
  it('sends full batches, then the rest on flush', async () => {
    const { s, posts } = sender([]);
    for (let i = 0; i < 25; i++) s.enqueue(event(i));
    expect(await s.flush(1000)).toBe(true);
    expect(posts.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(s.stats()).toMatchObject({ pending: 0, sent: 25, dropped: 0 });
  });

  it('retries the same batch after network errors, 5xx and 429 (honouring Retry-After)', async () => {
    const { s, posts, logs } = sender([new Error('ECONNREFUSED'), { status: 503, retryAfter: null, body: null }, { status: 429, retryAfter: '0.05', body: null }]);
    s.enqueue(event(1));
    const started = Date.now();
    expect(await s.flush(5000)).toBe(true);
    expect(posts).toEqual([['e-1'], ['e-1'], ['e-1'], ['e-1']]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(s.stats()).toMatchObject({ sent: 1, retries: 3 });
    expect(logs.filter((l) => l.includes('retrying'))).toHaveLength(1);
  });

  it('never retries another 4xx', async () => {
    const { s, posts, logs } = sender([{ status: 401, retryAfter: null, body: { error: { code: 'unauthorized', message: 'invalid API key' } } }]);
    s.enqueue(event(1));
    await s.flush(1000);
    expect(posts).toHaveLength(1);
    expect(s.stats()).toMatchObject({ sent: 0, rejected: 1, retries: 0 });
    expect(logs[0]).toContain('invalid API key');
  });

  it('drops only the events LLMLab names as invalid and delivers the rest', async () => {
    const details = [{ path: 'events.1.provider', message: 'unknown provider' }];
    const { s, posts } = sender([{ status: 400, retryAfter: null, body: { error: { code: 'validation_failed', message: 'bad', details } } }]);
    for (let i = 0; i < 3; i++) s.enqueue(event(i));
    await s.flush(1000);
    expect(posts).toEqual([['e-0', 'e-1', 'e-2'], ['e-0', 'e-2']]);
    expect(s.stats()).toMatchObject({ sent: 2, rejected: 1 });
  });

  it('bounds the buffer by dropping the oldest, counting them and saying so once', async () => {
    const { s, posts, logs } = sender([], { maxQueueSize: 5, batchSize: 100 });
    for (let i = 0; i < 12; i++) s.enqueue(event(i));
    await s.flush(1000);
    expect(posts).toEqual([['e-7', 'e-8', 'e-9', 'e-10', 'e-11']]);
    expect(s.stats().dropped).toBe(7);
    expect(logs.filter((l) => l.includes('dropping the oldest'))).toHaveLength(1);
  });
});
