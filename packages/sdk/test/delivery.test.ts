import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMLab } from '../src/index.js';
import { type Stack, startStack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const messages = [{ role: 'user' as const, content: 'Say hello' }];

describe('delivery while LLMLab is down', () => {
  it('loses nothing when the server is killed while the app keeps calling, once it is back', async () => {
    const llmlab = stack.client({ batchSize: 5, flushIntervalMs: 50 });
    const openai = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }), { feature: 'outage' });
    await openai.chat.completions.create({ model: 'gpt-4o', messages });
    await llmlab.flush();
    await stack.server.kill();
    const started = Date.now();
    for (let i = 0; i < 12; i++) {
      // The app's own calls keep working, and fast, while LLMLab is gone.
      const reply = await openai.chat.completions.create({ model: 'gpt-4o', messages });
      expect(reply.choices[0].message.content).toBe('Hello from the fake upstream.');
      llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500, feature: 'outage' });
    }
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(llmlab.stats().retries).toBeGreaterThan(0);
    expect(stack.logs.some((l) => l.includes('retrying in the background'))).toBe(true);
    await stack.server.restart();
    expect(await llmlab.flush(20_000)).toBe(true);
    const events = await stack.events({ feature: 'outage' });
    expect(events).toHaveLength(25);
    expect(events.filter((e) => e.model === 'gpt-4')).toHaveLength(12);
    expect(events.reduce((sum, e) => sum + (e.cost_nanos ?? 0), 0)).toBe(13 * 4_720_000 + 12 * 60_000_000);
    expect(llmlab.stats()).toMatchObject({ pending: 0, sent: 25, dropped: 0 });
  });

  it('keeps at most the buffer bound, dropping the oldest, counting them and saying so once', async () => {
    const llmlab = stack.client({ batchSize: 10, maxQueueSize: 20, flushIntervalMs: 20 });
    await stack.server.kill();
    for (let i = 0; i < 100; i++) {
      llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: i + 1, outputTokens: 1, feature: 'bounded' });
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }
    await stack.server.restart();
    expect(await llmlab.flush(20_000)).toBe(true);
    const { dropped, sent } = llmlab.stats();
    const events = await stack.events({ feature: 'bounded' });
    expect(dropped).toBeGreaterThan(0);
    expect(events).toHaveLength(100 - dropped);
    expect(sent).toBe(100 - dropped);
    // The newest 20 always survive: the queue dropped from its oldest end.
    const kept = new Set(events.map((e) => e.input_tokens));
    for (let n = 81; n <= 100; n++) expect(kept.has(n)).toBe(true);
    expect(stack.logs.filter((l) => l.includes('dropping the oldest'))).toHaveLength(1);
  });

  it('does not retry a 4xx from LLMLab', async () => {
    const posts: number[] = [];
    const logs: string[] = [];
    const llmlab = new LLMLab({
      apiKey: 'llmlab_not_a_real_key',
      baseUrl: stack.server.baseUrl,
      flushOnExit: false,
      retryBaseMs: 10,
      logger: { warn: (m) => logs.push(m) },
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (init.method === 'POST') posts.push(res.status);
        return res;
      },
    });
    for (let i = 0; i < 3; i++) llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: 10, outputTokens: 5 });
    expect(await llmlab.flush(5000)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(posts).toEqual([401]);
    expect(llmlab.stats()).toMatchObject({ sent: 0, rejected: 3, retries: 0, pending: 0 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/refused 3 events \(HTTP 401 unauthorized: .+\); they are not retried/);
    await llmlab.shutdown();
  });

  it('sends each event once with its own event_id, so a retried batch cannot double-count', async () => {
    const llmlab = stack.client();
    const ids = [llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500, feature: 'idem' })];
    ids.push(llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500, feature: 'idem', eventId: ids[0] }));
    await llmlab.flush();
    const events = await stack.events({ feature: 'idem' });
    expect(events.map((e) => e.event_id)).toEqual([ids[0]]);
    expect(stack.logs.filter((l) => l.includes('refused'))).toEqual([]);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });
});
