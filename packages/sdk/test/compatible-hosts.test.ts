import { catalogRates } from '@llmlab/core';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerOfOpenAIClient } from '../src/wrappers/provider.js';
import { type Stack, startStack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const messages = [{ role: 'user' as const, content: 'Say hello' }];

describe('the provider of an openai client', () => {
  const client = (baseURL?: string) => new OpenAI({ apiKey: 'sk-test', baseURL });

  it.each([
    ['https://api.groq.com/openai/v1', 'groq'],
    ['https://api.deepseek.com', 'deepseek'],
    ['https://api.x.ai/v1', 'x-ai'],
    ['https://openrouter.ai/api/v1', 'openrouter'],
    ['https://generativelanguage.googleapis.com/v1beta/openai/', 'google'],
    ['http://localhost:11434/v1', 'ollama'],
    ['https://api.openai.com/v1', 'openai'],
    ['https://llm-gateway.internal.example/v1', 'openai'],
  ])('is known from its baseURL %s: %s', (baseURL, provider) => {
    expect(providerOfOpenAIClient(client(baseURL))).toBe(provider);
  });

  it('is openai for a client with the default baseURL', () => {
    expect(providerOfOpenAIClient(client())).toBe('openai');
  });

  it('is the one named, in its catalog id, whatever the baseURL', () => {
    expect(providerOfOpenAIClient(client('https://llm-gateway.internal.example/v1'), 'groq')).toBe('groq');
    expect(providerOfOpenAIClient(client('https://api.groq.com/openai/v1'), 'XAI')).toBe('x-ai');
  });

  it('is azure for AzureOpenAI, whatever address it is given', () => {
    expect(providerOfOpenAIClient(new AzureOpenAI({ apiKey: 'az', apiVersion: '2024-10-21', endpoint: 'https://my-resource.openai.azure.com' }))).toBe('azure');
    expect(providerOfOpenAIClient(new AzureOpenAI({ apiKey: 'az', apiVersion: '2024-10-21', endpoint: 'http://127.0.0.1:9' }))).toBe('azure');
  });
});

describe('wrapOpenAI on an OpenAI-compatible host', () => {
  it('records a DeepSeek client under deepseek, its cache hits read from prompt_cache_hit_tokens, streams included', async () => {
    const llmlab = stack.client();
    const raw = new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.deepseekBaseUrl, maxRetries: 0 });
    const deepseek = llmlab.wrapOpenAI(raw, { provider: 'deepseek', feature: 'ds-chat' });
    const completion = await deepseek.chat.completions.create({ model: 'deepseek-chat', messages });
    const usage = completion.usage as OpenAI.CompletionUsage & { prompt_cache_hit_tokens: number };
    expect(usage.prompt_tokens_details).toBeUndefined();
    expect(usage.prompt_cache_hit_tokens).toBe(1024);
    const stream = await deepseek.chat.completions.create({ model: 'deepseek-chat', messages, stream: true });
    for await (const chunk of stream) expect(chunk.choices).toHaveLength(1);
    await llmlab.flush();
    const events = await stack.events({ feature: 'ds-chat' });
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event).toMatchObject({ provider: 'deepseek', model: 'deepseek-chat', input_tokens: 1200, cached_input_tokens: 1024, output_tokens: 300, status: 'success', priced: true });
      // deepseek-chat ($/M): 0.27 input, 0.07 cache read, 1.10 output; half that (0.135 / 0.035 / 0.55)
      // in DeepSeek's off-peak hours, 16:30-00:30 UTC, so the event's own timestamp decides.
      // peak: 176 x 0.27 + 1024 x 0.07 + 300 x 1.10 = $0.0004492; off-peak: $0.0002246
      const rates = catalogRates('deepseek', 'deepseek-chat', event.ts)?.rates;
      const offPeak = rates?.input_mtok === 0.135;
      expect(rates).toEqual(offPeak ? { input_mtok: 0.135, cache_read_mtok: 0.035, output_mtok: 0.55 } : { input_mtok: 0.27, cache_read_mtok: 0.07, output_mtok: 1.1 });
      expect(event.cost_nanos).toBe(offPeak ? 224_600 : 449_200);
    }
  });

  it('records a client whose baseURL is a known host under that host', async () => {
    const llmlab = stack.client();
    // The client addresses api.groq.com; its fetch carries the request to the fake upstream instead.
    const toFake: typeof fetch = (input, init) => fetch(String(input).replace('https://api.groq.com/openai', stack.upstream.url), init);
    const groq = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'gsk-test', baseURL: 'https://api.groq.com/openai/v1', fetch: toFake, maxRetries: 0 }), { feature: 'groq-chat' });
    const usage = { chat: { prompt_tokens: 1200, cached_tokens: 0, completion_tokens: 300, reasoning_tokens: 0 } };
    await groq.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages }, { headers: { 'x-fake-usage': JSON.stringify(usage) } });
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'groq-chat' });
    expect(event).toMatchObject({ provider: 'groq', model: 'llama-3.3-70b-versatile', input_tokens: 1200, output_tokens: 300, priced: true });
    // llama-3.3-70b-versatile on Groq: 1200 x $0.59/M + 300 x $0.79/M = $0.000945
    expect(catalogRates('groq', 'llama-3.3-70b-versatile', event.ts)?.rates).toMatchObject({ input_mtok: 0.59, output_mtok: 0.79 });
    expect(event.cost_nanos).toBe(945_000);
  });

  it('records AzureOpenAI calls under azure', async () => {
    const llmlab = stack.client();
    const raw = new AzureOpenAI({ apiKey: 'az-test', apiVersion: '2024-10-21', endpoint: stack.upstream.url, maxRetries: 0 });
    const azure = llmlab.wrapOpenAI(raw, { feature: 'azure-chat' });
    expect(azure).toBeInstanceOf(AzureOpenAI);
    const completion = await azure.chat.completions.create({ model: 'gpt-4o', messages });
    expect(stack.upstream.requests.at(-1)?.path).toBe('/openai/deployments/gpt-4o/chat/completions');
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'azure-chat' });
    expect(event).toMatchObject({ provider: 'azure', model: completion.model, input_tokens: 1200, cached_input_tokens: 1024, output_tokens: 300, reasoning_tokens: 64, priced: true });
    // gpt-4o on Azure: 176 uncached x $2.50/M + 1024 cached x $1.25/M + 300 out x $10/M = $0.00472
    expect(catalogRates('azure', completion.model, event.ts)?.rates).toMatchObject({ input_mtok: 2.5, cache_read_mtok: 1.25, output_mtok: 10 });
    expect(event.cost_nanos).toBe(4_720_000);
  });
});
