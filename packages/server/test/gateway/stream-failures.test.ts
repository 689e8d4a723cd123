import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signupUser } from '../helpers/server-process.js';
import { type GatewayStack, stackFor, startGatewayStack } from './gateway-stack.js';

const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('slow streams, hang-ups, timeouts and unreachable upstreams', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  it('delivers a slow stream chunk by chunk as the upstream writes it', async () => {
    const client = s.openai({ headers: { 'x-fake-event-delay-ms': '150' } });
    const started = performance.now();
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const arrivals: number[] = [];
    for await (const _ of stream) arrivals.push(performance.now() - started);
    // 10 events 150 ms apart: the first arrives long before the last is written.
    expect(arrivals).toHaveLength(9);
    expect(arrivals[0]).toBeLessThan(600);
    expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThan(1000);
  });

  it('aborts the upstream when the client hangs up mid-stream, records an unpriced call and leaks no socket', async () => {
    // A project of its own, so that its summary holds these calls alone.
    const own = stackFor(s.server, s.upstream, await signupUser(s.server.baseUrl), false);
    const before = s.upstream.exchanges.length;
    const client = own.openai({ headers: { 'x-fake-event-delay-ms': '250', 'x-llmlab-feature': 'hangup' } });
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
        for await (const _ of stream) break;
      }),
    );
    const mine = () => s.upstream.exchanges.slice(before);
    await until(() => mine().length === 10 && mine().every((e) => e.aborted));
    expect(mine().some((e) => e.finished)).toBe(false);
    await until(async () => (await s.upstream.connections()) === 0);
    const events = await own.waitForEvents(10, { feature: 'hangup' });
    expect(events).toHaveLength(10);
    // The provider had started answering, so the call happened; its usage chunk never came.
    for (const e of events) expect(e).toMatchObject({ status: 'error', error_type: 'client_closed', usage_missing: true, cost: null, priced: false });
    const summary = (await (await own.api('/api/costs/summary')).json()) as { calls: number; unpriced_calls: number; total_spend: number };
    expect(summary).toMatchObject({ calls: 10, unpriced_calls: 10, total_spend: 0 });
  });

  it('records an Anthropic stream hung up on before message_delta as usage_missing, with the input message_start told', async () => {
    const client = s.anthropic({ headers: { 'x-fake-event-delay-ms': '250', 'x-llmlab-feature': 'hangup-anthropic' } });
    const stream = await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 500, messages: [{ role: 'user', content: 'Hello' }], stream: true });
    for await (const event of stream) {
      expect(event.type).toBe('message_start');
      break;
    }
    const [event] = await s.waitForEvents(1, { feature: 'hangup-anthropic' });
    expect(event).toMatchObject({ status: 'error', error_type: 'client_closed', usage_missing: true, cost: null, priced: false, input_tokens: 2520, cached_input_tokens: 2000 });
  });

  it('answers 504 in the provider format when the upstream does not answer in time, and aborts it', async () => {
    const client = s.openai({ headers: { 'x-fake-hang': '1', 'x-llmlab-timeout-ms': '300', 'x-llmlab-feature': 'timeout' } });
    const before = s.upstream.exchanges.length;
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 504, type: 'timeout', message: '504 LLMLab proxy: openai did not answer within 300 ms' });
    await until(() => s.upstream.exchanges[before]?.aborted === true);
    const [event] = await s.waitForEvents(1, { feature: 'timeout' });
    // No answer came at all: an error with no tokens, not a call whose usage went missing.
    expect(event).toMatchObject({ status: 'error', error_type: 'timeout', model: 'gpt-4o-mini', usage_missing: false, cost_nanos: 0 });
  });

  it('answers 502 in the Anthropic format when the upstream cannot be reached', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
    });
    const down = await startGatewayStack({ env: { LLMLAB_ANTHROPIC_BASE_URL: `http://127.0.0.1:${closed}` } });
    try {
      const client = down.anthropic({ headers: { 'x-llmlab-feature': 'unreachable' } });
      const err = await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 502, error: { type: 'error', error: { type: 'api_error', message: expect.stringContaining(`cannot reach http://127.0.0.1:${closed}`) } } });
      const [event] = await down.waitForEvents(1, { feature: 'unreachable' });
      expect(event).toMatchObject({ status: 'error', error_type: 'upstream_unreachable', cost_nanos: 0, usage_missing: false });
    } finally {
      await down.stop();
    }
  });
});
