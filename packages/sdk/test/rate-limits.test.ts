import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitError, withTags } from '../src/index.js';
import { api, type Stack, startStack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const messages = [{ role: 'user' as const, content: 'Say hello' }];

describe('rate limits in wrapped clients', () => {
  it("refuses a customer's call over requests_per_minute before the provider is called, while another customer goes on", async () => {
    const project = await stack.isolated();
    await api(stack.server.baseUrl, project.user.token, 'POST', '/api/rate-limits', { name: 'each customer', per: 'end_user', requests_per_minute: 2 });
    const llmlab = project.client();
    const openai = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }));
    const anthropic = llmlab.wrapAnthropic(new Anthropic({ apiKey: 'sk-ant-test', baseURL: stack.upstream.anthropicBaseUrl, maxRetries: 0 }));
    const asCustomer = <T>(userId: string, fn: () => Promise<T>) => withTags({ userId }, fn);

    const before = stack.upstream.requests.length;
    await asCustomer('customer-42', () => openai.chat.completions.create({ model: 'gpt-4o', messages }));
    await asCustomer('customer-42', () => anthropic.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 50, messages }));
    expect(stack.upstream.requests.length - before).toBe(2);

    const error = await asCustomer('customer-42', () => openai.chat.completions.create({ model: 'gpt-4o', messages })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).code).toBe('rate_limited');
    expect((error as Error).message).toMatch(/^LLMLab rate limit "each customer": 2 requests a minute for end user customer-42; retry in \d+ s$/);
    expect((error as RateLimitError).details).toMatchObject({ rate_limit: { name: 'each customer', requests_per_minute: 2 }, value: 'customer-42' });
    await expect(asCustomer('customer-42', () => anthropic.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 50, messages }))).rejects.toBeInstanceOf(RateLimitError);
    expect(stack.upstream.requests.length - before).toBe(2);

    await expect(asCustomer('customer-7', () => openai.chat.completions.create({ model: 'gpt-4o', messages }))).resolves.toMatchObject({ object: 'chat.completion' });
    expect(stack.upstream.requests.length - before).toBe(3);
    // The limit is per process: another client of the same key has its own count.
    const other = project.client().wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }));
    await expect(asCustomer('customer-42', () => other.chat.completions.create({ model: 'gpt-4o', messages }))).resolves.toMatchObject({ object: 'chat.completion' });
  });
});
