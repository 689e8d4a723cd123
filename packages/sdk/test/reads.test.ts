import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, LLMLab, trackCost, withTags } from '../src/index.js';
import { type Stack, startStack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('attribution and reads', () => {
  it('applies withTags and trackCost to every call inside, nested tags merged', async () => {
    const llmlab = stack.client({ environment: 'test' });
    const summarize = trackCost(async (n: number) => {
      await new Promise((r) => setTimeout(r, 1));
      return llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: n, outputTokens: 1 });
    }, { feature: 'summarize', tags: { tier: 'free' } });
    const id = await withTags({ userId: 'cust-1', tags: { team: 'growth' } }, () => summarize(10));
    await llmlab.flush();
    const [event] = await stack.events({ feature: 'summarize' });
    expect(event).toMatchObject({ event_id: id, user_id: 'cust-1', tags: { team: 'growth', tier: 'free' }, input_tokens: 10 });
  });

  it('reads the summary, recommendations and budgets back', async () => {
    const llmlab = stack.client();
    llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500, feature: 'reads' });
    await llmlab.flush();
    const summary = await llmlab.getSummary({ days: 7, tz: 'UTC' });
    expect(summary.by_model['openai/gpt-4']).toBeGreaterThanOrEqual(0.06);
    expect(summary.by_feature.reads).toBe(0.06);
    expect(summary.days).toBe(7);
    expect(Array.isArray(await llmlab.getRecommendations())).toBe(true);
    expect(await llmlab.getBudgets()).toEqual([]);
  });

  it('stores a tracked call whose usage never arrived as unpriced, never as $0', async () => {
    const project = await stack.isolated();
    const llmlab = project.client();
    llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: 1000, outputTokens: 500 });
    const id = llmlab.track({ provider: 'openai', model: 'gpt-4', inputTokens: 0, outputTokens: 0, usageMissing: true });
    await llmlab.flush();
    const event = (await project.events()).find((e) => e.event_id === id);
    expect(event).toMatchObject({ usage_missing: true, cost: null, priced: false, price_source: 'usage_missing' });
    expect(await llmlab.getSummary()).toMatchObject({ calls: 2, unpriced_calls: 1, total_spend: 0.06 });
  });

  it('maps an error answer to its typed error with the server message', async () => {
    const llmlab = new LLMLab({ apiKey: 'llmlab_wrong', baseUrl: stack.server.baseUrl, flushOnExit: false, logger: { warn: () => {} } });
    const error = await llmlab.getSummary().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect((error as Error).message.length).toBeGreaterThan(0);
  });
});
