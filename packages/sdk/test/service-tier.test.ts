import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const messages = [{ role: 'user' as const, content: 'Grade this essay' }];
// Default fake usage: chat 1,200 prompt (1,024 cached) + 300 completion (64 reasoning); o3 on flex
// at $1 input, $0.25 cached, $4 output per million tokens.
const O3_FLEX_NANOS = 176 * 1000 + 1024 * 250 + 300 * 4000;
// claude-haiku-4-5 on batch: half of $1 input, $0.10 cache read, $1.25 cache write, $5 output;
// 20 input + 2,000 cache reads + 500 cache writes + 400 output.
const HAIKU_BATCH_NANOS = 20 * 500 + 2000 * 50 + 500 * 625 + 400 * 2500;

describe('the wrappers record the tier the answer names', () => {
  it('wrapOpenAI: a flex chat completion, JSON and streamed, and OpenAI\'s default as standard', async () => {
    const llmlab = stack.client();
    const openai = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }), { feature: 'sdk-tier-openai' });
    await openai.chat.completions.create({ model: 'o3', messages, service_tier: 'flex' });
    const stream = await openai.chat.completions.create({ model: 'o3', messages, service_tier: 'flex', stream: true });
    for await (const _chunk of stream);
    await openai.chat.completions.create({ model: 'o3', messages });
    await llmlab.flush();
    const events = await stack.events({ feature: 'sdk-tier-openai' });
    expect(events.map((e) => [e.service_tier, e.cost_nanos]).reverse()).toEqual([
      ['flex', O3_FLEX_NANOS],
      ['flex', O3_FLEX_NANOS],
      // o3 standard: $2 input, $0.50 cached, $8 output
      ['standard', 176 * 2000 + 1024 * 500 + 300 * 8000],
    ]);
  });

  it('wrapAnthropic: usage.service_tier batch, in a message and in its stream', async () => {
    const llmlab = stack.client();
    const raw = new Anthropic({ apiKey: 'sk-ant-test', baseURL: stack.upstream.anthropicBaseUrl, maxRetries: 0, defaultHeaders: { 'x-fake-service-tier': 'batch' } });
    const anthropic = llmlab.wrapAnthropic(raw, { feature: 'sdk-tier-anthropic' });
    const request = { model: 'claude-haiku-4-5', max_tokens: 512, messages };
    await anthropic.messages.create(request);
    const stream = await anthropic.messages.create({ ...request, stream: true });
    for await (const _event of stream);
    await llmlab.flush();
    const events = await stack.events({ feature: 'sdk-tier-anthropic' });
    expect(events.map((e) => [e.service_tier, e.cost_nanos, e.price_source])).toEqual([
      ['batch', HAIKU_BATCH_NANOS, 'catalog:genai-prices@0.1.8/claude-haiku-4-5+batch'],
      ['batch', HAIKU_BATCH_NANOS, 'catalog:genai-prices@0.1.8/claude-haiku-4-5+batch'],
    ]);
  });

  it('track() takes a tier from the caller and refuses one it does not know', async () => {
    const llmlab = stack.client();
    expect(() => llmlab.track({ provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 5, serviceTier: 'economy' as 'batch' })).toThrow(/serviceTier must be one of standard, batch, flex, priority/);
    llmlab.track({ provider: 'openai', model: 'gpt-4o', inputTokens: 1000, outputTokens: 100, serviceTier: 'batch', feature: 'sdk-tier-track' });
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'sdk-tier-track' });
    // gpt-4o on batch: 1,000 x $1.25 + 100 x $5
    expect(event).toMatchObject({ service_tier: 'batch', cost_nanos: 1_750_000 });
  });
});
