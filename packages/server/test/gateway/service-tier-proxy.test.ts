import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack } from './gateway-stack.js';

// Default fake usage: chat 1,200 prompt (1,024 cached) + 300 completion; responses 900 input (512
// cached) + 250 output; Anthropic 20 input + 2,000 cache reads + 500 cache writes + 400 output.
// o3 on flex: $1 input, $0.25 cached, $4 output per million tokens.
const O3_FLEX_CHAT_NANOS = 176 * 1000 + 1024 * 250 + 300 * 4000;
const O3_FLEX_RESPONSES_NANOS = 388 * 1000 + 512 * 250 + 250 * 4000;
// gpt-4o-mini on priority: $0.25 input, $0.125 cached, $1 output.
const MINI_PRIORITY_CHAT_NANOS = 176 * 250 + 1024 * 125 + 300 * 1000;
// claude-haiku-4-5 on batch, half of $1 input, $0.10 cache read, $1.25 cache write, $5 output.
const HAIKU_BATCH_NANOS = 20 * 500 + 2000 * 50 + 500 * 625 + 400 * 2500;

describe('service tiers read from the answers the proxy relays', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  it('stores and prices the tier OpenAI names, in a chat completion and in its stream', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'tier-openai-chat' } });
    const messages = [{ role: 'user' as const, content: 'Grade this essay' }];
    const answer = await client.chat.completions.create({ model: 'o3', messages, service_tier: 'flex' });
    expect(answer.service_tier).toBe('flex');
    const stream = await client.chat.completions.create({ model: 'o3', messages, service_tier: 'flex', stream: true });
    for await (const _chunk of stream);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages, service_tier: 'priority' });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const events = await s.waitForEvents(4, { feature: 'tier-openai-chat' });
    expect(events.map((e) => [e.model, e.service_tier, e.cost_nanos, e.price_source]).reverse()).toEqual([
      ['o3', 'flex', O3_FLEX_CHAT_NANOS, 'tier:openai/flex/o3@2025-06-10'],
      ['o3', 'flex', O3_FLEX_CHAT_NANOS, 'tier:openai/flex/o3@2025-06-10'],
      ['gpt-4o-mini-2024-07-18', 'priority', MINI_PRIORITY_CHAT_NANOS, 'tier:openai/priority/gpt-4o-mini@2025-06-26'],
      // OpenAI answers `default` for standard processing.
      ['gpt-4o-mini-2024-07-18', 'standard', 176 * 150 + 1024 * 75 + 300 * 600, 'catalog:genai-prices@0.1.8/gpt-4o-mini'],
    ]);
  });

  it('reads the tier of a Responses API answer, JSON and stream', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'tier-openai-responses' } });
    const answer = await client.responses.create({ model: 'o3', input: 'Summarise the meeting', service_tier: 'flex' });
    expect(answer.service_tier).toBe('flex');
    const stream = await client.responses.create({ model: 'o3', input: 'Summarise the meeting', service_tier: 'flex', stream: true });
    for await (const _event of stream);
    const events = await s.waitForEvents(2, { feature: 'tier-openai-responses' });
    expect(events.map((e) => [e.service_tier, e.cost_nanos])).toEqual([['flex', O3_FLEX_RESPONSES_NANOS], ['flex', O3_FLEX_RESPONSES_NANOS]]);
  });

  it('stores and prices the tier in Anthropic usage, in a message and in its stream', async () => {
    const client = s.anthropic({ headers: { 'x-llmlab-feature': 'tier-anthropic', 'x-fake-service-tier': 'batch' } });
    const request = { model: 'claude-haiku-4-5', max_tokens: 500, messages: [{ role: 'user' as const, content: 'Classify this ticket' }] };
    const message = await client.messages.create(request);
    expect(message.usage.service_tier).toBe('batch');
    const stream = await client.messages.create({ ...request, stream: true });
    for await (const _event of stream);
    const events = await s.waitForEvents(2, { feature: 'tier-anthropic' });
    expect(events.map((e) => [e.service_tier, e.cost_nanos, e.price_source])).toEqual([
      ['batch', HAIKU_BATCH_NANOS, 'catalog:genai-prices@0.1.8/claude-haiku-4-5+batch'],
      ['batch', HAIKU_BATCH_NANOS, 'catalog:genai-prices@0.1.8/claude-haiku-4-5+batch'],
    ]);
    const summary = (await (await s.api('/api/costs/summary?days=1')).json()) as { by_service_tier: Record<string, { spend_nanos: number; calls: number }> };
    expect(summary.by_service_tier.batch).toEqual(expect.objectContaining({ spend_nanos: 2 * HAIKU_BATCH_NANOS, calls: 2 }));
  });
});
