import { catalogRates } from '@llmlab/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack } from './gateway-stack.js';

// Default fake chat usage: 1,200 prompt tokens of which 1,024 cached, 300 completion tokens (64 reasoning).
// Deployment prod-chat serves gpt-4o-2024-08-06, priced at the catalog's azure rates: $2.50/M input, $1.25/M cached, $10/M output.
const GPT4O_NANOS = 176 * 2500 + 1024 * 1250 + 300 * 10_000;
// Deployment cheap-chat serves gpt-4o-mini-2024-07-18: $0.15/M input, $0.075/M cached, $0.60/M output.
const MINI_NANOS = 176 * 150 + 1024 * 75 + 300 * 600;
const CHAT_TOKENS = { input_tokens: 1200, cached_input_tokens: 1024, output_tokens: 300, reasoning_tokens: 64 };
const MESSAGES = [{ role: 'user' as const, content: 'Say hello' }];

describe('Azure OpenAI through the proxy of a real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  const lastExchange = () => s.lastExchange();
  const ownProject = () => s.ownProject();

  it('relays a chat completion on a deployment and prices the model Azure names at the azure rates', async () => {
    const ts = Date.now();
    expect(catalogRates('azure', 'gpt-4o-2024-08-06', ts)?.rates).toMatchObject({ input_mtok: 2.5, cache_read_mtok: 1.25, output_mtok: 10 });
    const client = s.azure({ headers: { 'x-llmlab-feature': 'azure-chat', 'x-llmlab-environment': 'prod' } });
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }).withResponse();
    expect(res.data.model).toBe('gpt-4o-2024-08-06');
    expect(res.data.choices[0].message.content).toBe('Hello from the fake upstream.');
    expect(res.data).toHaveProperty('prompt_filter_results');
    const exchange = lastExchange();
    expect(exchange.target).toBe('/azure/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21');
    expect(exchange.headers['api-key']).toBe('azure-test-key');
    expect(exchange.headers.authorization).toBeUndefined();
    expect(Object.keys(exchange.headers).filter((h) => h.startsWith('x-llmlab'))).toEqual([]);
    const [event] = await s.waitForEvents(1, { feature: 'azure-chat' });
    expect(event).toMatchObject({ provider: 'azure', model: 'gpt-4o-2024-08-06', ...CHAT_TOKENS, cost_nanos: GPT4O_NANOS, priced: true, status: 'success', environment: 'prod' });
    // The event keeps the path without its query, and the deployment beside the model.
    expect(event.metadata).toMatchObject({ path: '/openai/deployments/prod-chat/chat/completions', deployment: 'prod-chat', http_status: 200 });
  });

  it('relays a stream with its prompt-filter chunk, records its usage once and hides the usage chunk it asked for', async () => {
    const client = s.azure({ deployment: 'cheap-chat', headers: { 'x-llmlab-feature': 'azure-stream' } });
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true })) chunks.push(chunk);
    expect(JSON.parse(lastExchange().rawBody).stream_options).toEqual({ include_usage: true });
    // Azure's first chunk has no choices, no id and no model: only the prompt's filter results. It is not a usage chunk.
    expect(chunks[0]).toMatchObject({ choices: [], id: '', model: '' });
    expect(chunks[0]).toHaveProperty('prompt_filter_results');
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the fake upstream.');
    const [event] = await s.waitForEvents(1, { feature: 'azure-stream' });
    expect(event).toMatchObject({ provider: 'azure', model: 'gpt-4o-mini-2024-07-18', ...CHAT_TOKENS, cost_nanos: MINI_NANOS, status: 'success' });
    expect(event.metadata).toMatchObject({ deployment: 'cheap-chat', stream: true, usage_requested_by_proxy: true });
  });

  it('records embeddings on a deployment, and the v1 API where the body names the deployment', async () => {
    const embed = s.azure({ deployment: 'embed-small', headers: { 'x-llmlab-feature': 'azure-more' } });
    await embed.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(lastExchange().target).toBe('/azure/openai/deployments/embed-small/embeddings?api-version=2024-10-21');
    // The Azure v1 API takes OpenAI's client as is; its key may travel as a bearer token.
    const v1 = new OpenAI({ apiKey: 'azure-bearer-key', baseURL: `${s.server.baseUrl}/proxy/azure/openai/v1`, maxRetries: 0, defaultHeaders: { 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'azure-more' } });
    const completion = await v1.chat.completions.create({ model: 'cheap-chat', messages: MESSAGES });
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(lastExchange().target).toBe('/azure/openai/v1/chat/completions');
    expect(lastExchange().headers.authorization).toBe('Bearer azure-bearer-key');
    const events = await s.waitForEvents(2, { feature: 'azure-more' });
    // text-embedding-3-small on Azure: $0.02/M input; 8 tokens.
    expect(events.map((e) => [e.model, e.input_tokens, e.output_tokens, e.cost_nanos])).toEqual([
      ['gpt-4o-mini-2024-07-18', 1200, 300, MINI_NANOS],
      ['text-embedding-3-small', 8, 0, 8 * 20],
    ]);
    expect(events[1].metadata).toMatchObject({ path: '/openai/deployments/embed-small/embeddings', deployment: 'embed-small' });
    expect(events[0].metadata).toMatchObject({ path: '/openai/v1/chat/completions', requested_model: 'cheap-chat' });
  });

  it('passes Azure errors through in the OpenAI format and records failed calls at $0, not as unpriced', async () => {
    // Azure's content filter refusal (the Azure OpenAI reference, "Content filtering"): type null, the code says why.
    const filtered = {
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { hate: { filtered: true, severity: 'high' } } },
      },
    };
    const refused = s.azure({ headers: { 'x-llmlab-feature': 'azure-errors', 'x-fake-fail': JSON.stringify({ status: 400, body: filtered }) } });
    expect(await refused.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }).catch((e: unknown) => e)).toMatchObject({ status: 400, code: 'content_filter' });
    const missing = s.azure({ deployment: 'no-such-deployment', headers: { 'x-llmlab-feature': 'azure-errors' } });
    expect(await missing.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }).catch((e: unknown) => e)).toMatchObject({ status: 404, code: 'DeploymentNotFound' });
    const events = await s.waitForEvents(2, { feature: 'azure-errors' });
    expect(events.map((e) => [e.metadata?.deployment, e.metadata?.http_status, e.error_type])).toEqual([
      ['no-such-deployment', 404, 'DeploymentNotFound'],
      ['prod-chat', 400, 'content_filter'],
    ]);
    // Azure bills neither (no answer, no tokens): $0, as a refused OpenAI call is, whatever the deployment is called.
    for (const e of events) expect(e).toMatchObject({ provider: 'azure', status: 'error', input_tokens: 0, output_tokens: 0, cost_nanos: 0, priced: true, usage_missing: false });
  });

  it('sends the stored key as api-key in place of an LLMLab key given as api-key or as a bearer token', async () => {
    const own = await ownProject();
    const put = await own.api('/api/gateway/provider-keys/azure', { method: 'PUT', body: { key: 'azure-stored-secret-4321' } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ provider: 'azure', hint: '...4321' });
    await own.azure({ apiKey: own.user.apiKey, headers: { 'x-llmlab-key': '', 'x-llmlab-feature': 'azure-stored' } }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    expect(lastExchange().headers['api-key']).toBe('azure-stored-secret-4321');
    const v1 = new OpenAI({ apiKey: own.user.apiKey, baseURL: `${s.server.baseUrl}/proxy/azure/openai/v1`, maxRetries: 0, defaultHeaders: { 'x-llmlab-feature': 'azure-stored' } });
    await v1.chat.completions.create({ model: 'prod-chat', messages: MESSAGES });
    expect(lastExchange().headers['api-key']).toBe('azure-stored-secret-4321');
    expect(lastExchange().headers.authorization).toBeUndefined();
    const events = await own.waitForEvents(2, { feature: 'azure-stored' });
    expect(events.map((e) => [e.model, e.cost_nanos])).toEqual([
      ['gpt-4o-2024-08-06', GPT4O_NANOS],
      ['gpt-4o-2024-08-06', GPT4O_NANOS],
    ]);
  });

  it('holds a hard budget on a deployment by what its calls really cost, as on OpenAI', async () => {
    const own = await ownProject();
    // Room for one call of prod-chat ($0.00472), not two.
    expect((await own.api('/api/budgets', { body: { name: 'Azure pair', amount: 0.006, period: 'monthly', hard_limit: true } })).status).toBe(201);
    const client = own.azure({ headers: { 'x-llmlab-feature': 'azure-pair' } });
    await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 100, messages: MESSAGES });
    const [first] = await own.waitForEvents(1, { feature: 'azure-pair' });
    expect(first.cost_nanos).toBe(GPT4O_NANOS);
    // The body shows a short prompt, but this key's recent calls on the deployment cost $0.00472 each:
    // the reservation takes the larger (see customer-budgets.test.ts for OpenAI), so the second call would pass the budget.
    const before = s.upstream.exchanges.length;
    const err = await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 100, messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'budget_exceeded', message: expect.stringContaining('LLMLab hard budget "Azure pair"') });
    expect(s.upstream.exchanges.length).toBe(before);
  });

  it('refuses a call past a hard budget with 429 in the OpenAI format, without calling Azure', async () => {
    const own = await ownProject();
    expect((await own.api('/api/budgets', { body: { name: 'Azure cap', amount: 0.001, period: 'monthly', hard_limit: true } })).status).toBe(201);
    // $0.0047 already spent this month on Azure: the $0.001 budget is gone.
    const tracked = await own.api('/api/events/track', { token: own.user.apiKey, body: { provider: 'azure', model: 'gpt-4o', input_tokens: 1200, cached_input_tokens: 1024, output_tokens: 300 } });
    expect(tracked.status).toBe(201);
    const before = s.upstream.exchanges.length;
    const err = await own.azure({ headers: { 'x-llmlab-feature': 'azure-budget' } }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, type: 'insufficient_quota', code: 'budget_exceeded', message: expect.stringContaining('LLMLab hard budget "Azure cap" (monthly, $0.001) would be exceeded') });
    expect(s.upstream.exchanges.length).toBe(before);
  });
});
