import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack } from './gateway-stack.js';

describe('proxy load shedding', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack({ env: { LLMLAB_MAX_INFLIGHT: '2' } });
  });
  afterAll(() => s?.stop());

  const call = (headers: Record<string, string> = {}) =>
    fetch(`${s.server.baseUrl}/proxy/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test-openai', 'x-llmlab-key': s.user.apiKey, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('refuses a call past the in-flight limit with 503 and Retry-After before it reaches the provider, and takes the next one once a slot is free', async () => {
    const before = s.upstream.exchanges.length;
    const slow = [call({ 'x-fake-delay-ms': '1500' }), call({ 'x-fake-delay-ms': '1500' })];
    // Both slow calls hold their slots once the provider has them.
    const deadline = Date.now() + 5000;
    while (s.upstream.exchanges.length < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const refused = await call();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: { code: 'unavailable', message: 'server busy; retry after 1 s' } });
    expect(s.upstream.exchanges.length).toBe(before + 2);

    for (const res of await Promise.all(slow)) expect(res.status).toBe(200);
    const next = await call();
    expect(next.status).toBe(200);
    expect((await next.json()).object).toBe('chat.completion');
    expect(s.upstream.exchanges.length).toBe(before + 3);
  });
});
