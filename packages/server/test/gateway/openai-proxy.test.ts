import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack } from './gateway-stack.js';

// gpt-4o-mini in the bundled catalog: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
// Default fake chat usage: 1,200 prompt tokens of which 1,024 cached, 300 completion tokens (64 reasoning).
const CHAT_COST_NANOS = 176 * 150 + 1024 * 75 + 300 * 600;

describe('OpenAI through the proxy of a real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  it('relays a chat completion and records its tokens and cost to the nanodollar', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'summarize', 'x-llmlab-user': 'customer-42', 'x-llmlab-tags': 'team=search,tier=pro' } });
    const before = s.upstream.exchanges.length;
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] });
    expect(completion.choices[0].message.content).toBe('Hello from the fake upstream.');
    const exchange = s.upstream.exchanges[before];
    expect(exchange.headers.authorization).toBe('Bearer sk-test-openai');
    expect(Object.keys(exchange.headers).filter((h) => h.startsWith('x-llmlab'))).toEqual([]);
    const [event] = await s.waitForEvents(1, { feature: 'summarize' });
    expect(event).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      input_tokens: completion.usage?.prompt_tokens,
      cached_input_tokens: completion.usage?.prompt_tokens_details?.cached_tokens,
      output_tokens: completion.usage?.completion_tokens,
      reasoning_tokens: completion.usage?.completion_tokens_details?.reasoning_tokens,
      cost_nanos: CHAT_COST_NANOS,
      status: 'success',
      source: 'proxy',
      feature: 'summarize',
      user_id: 'customer-42',
      tags: { team: 'search', tier: 'pro' },
    });
    expect(event.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(event.latency_ms).toBeGreaterThanOrEqual(0);
  });
});
