import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError, withTags } from '../src/index.js';
import { api, type Stack, startStack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const messages = [{ role: 'user' as const, content: 'Say hello' }];

describe('hard budget limits', () => {
  it('throws BudgetExceededError before the provider is called once a hard-limited budget is exhausted', async () => {
    const { baseUrl } = stack.server;
    const budget = await api<{ id: string }>(baseUrl, stack.user.token, 'POST', '/api/budgets', {
      name: 'tight',
      amount: 0.05,
      period: 'monthly',
      hard_limit: true,
    });
    const before = stack.client();
    const openai = before.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }));
    await openai.chat.completions.create({ model: 'gpt-4o', messages });
    // gpt-4, 1000 in and 500 out: $0.06, past the $0.05 budget.
    before.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500 });
    await before.flush();

    const budgets = await before.getBudgets();
    expect(budgets.find((b) => b.id === budget.id)?.status).toMatchObject({ exceeded: true });

    const llmlab = stack.client();
    const guarded = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }));
    const calls = stack.upstream.requests.length;
    const error = await guarded.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).code).toBe('budget_exceeded');
    expect((error as BudgetExceededError).budget).toMatchObject({ id: budget.id, amount: 0.05 });
    expect((error as Error).message).toMatch(/budget tight is exhausted/);
    // A second call answers from the cached state, and neither reached the provider.
    await expect(guarded.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(stack.upstream.requests.length).toBe(calls);

    await api(baseUrl, stack.user.token, 'PATCH', `/api/budgets/${budget.id}`, { hard_limit: false });
    const relaxed = stack.client().wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }));
    await expect(relaxed.chat.completions.create({ model: 'gpt-4o', messages })).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('refuses the customer who spent their own budget, before the provider is called, while another customer goes on', async () => {
    const { baseUrl } = stack.server;
    const budget = await api<{ id: string }>(baseUrl, stack.user.token, 'POST', '/api/budgets', {
      name: 'each customer',
      amount: 0.05,
      period: 'monthly',
      per: 'end_user',
      hard_limit: true,
    });
    const writer = stack.client();
    // gpt-4, 1000 in and 500 out: $0.06 for customer-x, past their $0.05.
    writer.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500, userId: 'customer-x' });
    await writer.flush();

    const guarded = stack.client().wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: stack.upstream.openaiBaseUrl, maxRetries: 0 }));
    const calls = stack.upstream.requests.length;
    const error = await withTags({ userId: 'customer-x' }, () => guarded.chat.completions.create({ model: 'gpt-4o', messages })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as Error).message).toBe('budget each customer is exhausted for end user customer-x (spent $0.06 of $0.05 this month) and has a hard limit');
    expect((error as BudgetExceededError).budget).toMatchObject({ id: budget.id, spent: 0.06 });
    expect(stack.upstream.requests.length).toBe(calls);
    await expect(withTags({ userId: 'customer-y' }, () => guarded.chat.completions.create({ model: 'gpt-4o', messages }))).resolves.toMatchObject({ object: 'chat.completion' });
    // A call that names no customer is not limited by a budget per customer.
    await expect(guarded.chat.completions.create({ model: 'gpt-4o', messages })).resolves.toMatchObject({ object: 'chat.completion' });
  });
});
