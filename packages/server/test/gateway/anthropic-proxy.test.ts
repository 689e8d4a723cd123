import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack } from './gateway-stack.js';

// claude-3-haiku in the bundled catalog: $0.25 input, $0.03 cache read, $0.30 cache write, $1.25 output per million.
// Default fake usage: 20 input tokens outside the cache, 2,000 cache reads, 500 cache writes, 400 output tokens.
const MESSAGE_COST_NANOS = 20 * 250 + 2000 * 30 + 500 * 300 + 400 * 1250;

describe('Anthropic through the proxy of a real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  const lastExchange = () => s.lastExchange();

  it('relays a message and records cache reads and writes at their own rates', async () => {
    const client = s.anthropic({ headers: { 'x-llmlab-feature': 'chat', 'x-llmlab-tags': '{"team":"support"}' } });
    const res = await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 500, messages: [{ role: 'user', content: 'Hello' }] }).asResponse();
    const received = Buffer.from(await res.arrayBuffer());
    expect(received.equals(lastExchange().response)).toBe(true);
    // This SDK version sends its API key as a bearer token; whichever header it uses passes through untouched.
    expect(lastExchange().headers['x-api-key'] ?? lastExchange().headers.authorization).toMatch(/^(Bearer )?sk-ant-test$/);
    const [event] = await s.waitForEvents(1, { feature: 'chat' });
    expect(event).toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-haiku-20240307',
      input_tokens: 2520,
      cached_input_tokens: 2000,
      cache_write_tokens: 500,
      output_tokens: 400,
      cost_nanos: MESSAGE_COST_NANOS,
      status: 'success',
      tags: { team: 'support' },
    });
  });

  it('relays a stream byte for byte and records the usage of message_start and message_delta', async () => {
    const client = s.anthropic({ headers: { 'x-llmlab-feature': 'stream' } });
    const res = await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 500, messages: [{ role: 'user', content: 'Hello' }], stream: true }).asResponse();
    const received = Buffer.from(await res.arrayBuffer());
    expect(received.equals(lastExchange().response)).toBe(true);
    const text = await client.messages.stream({ model: 'claude-3-haiku-20240307', max_tokens: 500, messages: [{ role: 'user', content: 'Hello' }] }).finalText();
    expect(text).toBe('Hello from the fake upstream.');
    const events = await s.waitForEvents(2, { feature: 'stream' });
    expect(events.map((e) => [e.input_tokens, e.cached_input_tokens, e.cache_write_tokens, e.output_tokens, e.cost_nanos])).toEqual([
      [2520, 2000, 500, 400, MESSAGE_COST_NANOS],
      [2520, 2000, 500, 400, MESSAGE_COST_NANOS],
    ]);
  });

  it('answers in the Anthropic error format and passes upstream errors through', async () => {
    const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    const client = s.anthropic({ headers: { 'x-llmlab-feature': 'errors', 'x-fake-fail': JSON.stringify({ status: 529, body: overloaded }) } });
    const err = await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 529, error: overloaded });
    const [event] = await s.waitForEvents(1, { feature: 'errors' });
    expect(event).toMatchObject({ status: 'error', error_type: 'overloaded_error', cost_nanos: 0, usage_missing: false });
    const unknown = s.anthropic({ headers: { 'x-llmlab-key': 'llmlab_wrong' } });
    const denied = await unknown.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 10, messages: [] }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ status: 401, error: { type: 'error', error: { type: 'authentication_error', message: 'LLMLab proxy: invalid or revoked API key' } } });
  });

  it('sends the stored key as x-api-key when the client authenticates with its LLMLab key', async () => {
    await s.api('/api/gateway/provider-keys/anthropic', { method: 'PUT', body: { key: 'sk-ant-stored-1234' } });
    await new Promise((r) => setTimeout(r, 1100));
    const client = s.anthropic({ apiKey: s.user.apiKey, headers: { 'x-llmlab-key': '', 'x-llmlab-feature': 'stored' } });
    await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(lastExchange().headers['x-api-key']).toBe('sk-ant-stored-1234');
    expect(lastExchange().headers.authorization).toBeUndefined();
    expect(await s.waitForEvents(1, { feature: 'stored' })).toHaveLength(1);
  });
});
