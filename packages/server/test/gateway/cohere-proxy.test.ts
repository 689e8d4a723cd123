import { catalogRates } from '@llmlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack, until } from './gateway-stack.js';

// Default fake Cohere usage: billed_units 25 input / 180 output, tokens 240 input / 183 output (Cohere's
// prompt template counted). Cohere bills billed_units. command-a-03-2025 in the catalog: $2.50/M input, $10/M output.
const COMMAND_A_NANOS = 25 * 2500 + 180 * 10_000;
/** What reading `usage.tokens` instead would cost: the figure a wrong proxy would record. */
const TOKENS_NANOS = 240 * 2500 + 183 * 10_000;
const MESSAGES = [{ role: 'user' as const, content: 'Say hello' }];

describe('Cohere v2 through the proxy of a real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  const lastExchange = () => s.lastExchange();
  const ownProject = () => s.ownProject();
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${s.server.baseUrl}/proxy/cohere${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer co-test-key', ...headers }, body: JSON.stringify(body) });

  it('relays a chat and prices billed_units, not tokens, under the model the request named', async () => {
    expect(catalogRates('cohere', 'command-a-03-2025', Date.now())?.rates).toMatchObject({ input_mtok: 2.5, output_mtok: 10 });
    const client = s.cohere({ headers: { 'x-llmlab-feature': 'cohere-chat', 'x-llmlab-user': 'customer-3' } });
    const answer = await client.chat({ model: 'command-a-03-2025', messages: MESSAGES });
    expect(answer.message.content?.[0]).toMatchObject({ type: 'text', text: 'Hello from the fake upstream.' });
    expect(answer.usage).toMatchObject({ billedUnits: { inputTokens: 25, outputTokens: 180 }, tokens: { inputTokens: 240, outputTokens: 183 } });
    const exchange = lastExchange();
    expect(exchange.path).toBe('/cohere/v2/chat');
    expect(exchange.headers.authorization).toBe('Bearer co-test-key');
    expect(Object.keys(exchange.headers).filter((h) => h.startsWith('x-llmlab'))).toEqual([]);
    const [event] = await s.waitForEvents(1, { feature: 'cohere-chat' });
    expect(TOKENS_NANOS).not.toBe(COMMAND_A_NANOS);
    expect(event).toMatchObject({ provider: 'cohere', model: 'command-a-03-2025', input_tokens: 25, output_tokens: 180, cached_input_tokens: 0, reasoning_tokens: 0, cost_nanos: COMMAND_A_NANOS, priced: true, status: 'success', user_id: 'customer-3' });
    expect(event.metadata).toMatchObject({ path: '/v2/chat', http_status: 200, stream: false });
  });

  it('relays a chat stream byte for byte and records the usage of its message-end event once', async () => {
    const raw = await post('/v2/chat', { model: 'command-a-03-2025', messages: MESSAGES, stream: true }, { 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'cohere-stream' });
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    expect(Buffer.from(await raw.arrayBuffer()).equals(lastExchange().response)).toBe(true);
    const client = s.cohere({ headers: { 'x-llmlab-feature': 'cohere-stream' } });
    const text: string[] = [];
    const types: string[] = [];
    for await (const event of await client.chatStream({ model: 'command-a-03-2025', messages: MESSAGES })) {
      types.push(event.type);
      if (event.type === 'content-delta') text.push(event.delta?.message?.content?.text ?? '');
    }
    expect(text.join('')).toBe('Hello from the fake upstream.');
    expect(types.at(-1)).toBe('message-end');
    const events = await s.waitForEvents(2, { feature: 'cohere-stream' });
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ model: 'command-a-03-2025', input_tokens: 25, output_tokens: 180, cost_nanos: COMMAND_A_NANOS, status: 'success' });
      expect(e.metadata).toMatchObject({ stream: true });
    }
  });

  it('records an embed call at its billed input tokens', async () => {
    expect(catalogRates('cohere', 'embed-v4.0', Date.now())?.rates).toMatchObject({ input_mtok: 0.12 });
    const client = s.cohere({ headers: { 'x-llmlab-feature': 'cohere-embed', 'x-fake-usage': JSON.stringify({ cohere: { billed_input_tokens: 12, input_tokens: 14 } }) } });
    const answer = await client.embed({ model: 'embed-v4.0', texts: ['a', 'b'], inputType: 'search_document', embeddingTypes: ['float'] });
    expect(answer.embeddings.float).toHaveLength(2);
    const [event] = await s.waitForEvents(1, { feature: 'cohere-embed' });
    // embed-v4.0: $0.12/M input; 12 billed tokens (14 seen).
    expect(event).toMatchObject({ provider: 'cohere', model: 'embed-v4.0', input_tokens: 12, output_tokens: 0, cost_nanos: 12 * 120, status: 'success' });
    expect(event.metadata).toMatchObject({ path: '/v2/embed' });
  });

  it('passes a Cohere error through and records a failed, unbilled call', async () => {
    const body = { id: 'a5f4cc8e-0b59-4a6e-8e84-6ffbab7e4a51', message: "You are using a Trial key, which is limited to 10 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions" };
    const client = s.cohere({ headers: { 'x-llmlab-feature': 'cohere-error', 'x-fake-fail': JSON.stringify({ status: 429, body }) } });
    const err = await client.chat({ model: 'command-a-03-2025', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 429, body });
    const [event] = await s.waitForEvents(1, { feature: 'cohere-error' });
    expect(event).toMatchObject({ provider: 'cohere', model: 'command-a-03-2025', status: 'error', input_tokens: 0, output_tokens: 0, cost_nanos: 0, usage_missing: false });
    expect(event.metadata).toMatchObject({ http_status: 429 });
  });

  it('answers a hard budget and a missing LLMLab key as Cohere does, {message}, without calling Cohere', async () => {
    const own = await ownProject();
    // Up to 4,096 output tokens of command-a at $10/M is $0.04: any call passes a $0.0001 budget.
    expect((await own.api('/api/budgets', { body: { name: 'Cohere cap', amount: 0.0001, period: 'monthly', hard_limit: true } })).status).toBe(201);
    const before = s.upstream.exchanges.length;
    const err = await own.cohere().chat({ model: 'command-a-03-2025', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 429, body: { message: expect.stringContaining('LLMLab hard budget "Cohere cap" (monthly, $0.0001) would be exceeded') } });
    expect(Object.keys((err as { body: object }).body)).toEqual(['message']);
    const anonymous = await post('/v2/chat', { model: 'command-a-03-2025', messages: MESSAGES }, {});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: expect.stringContaining('x-llmlab-key') });
    expect(s.upstream.exchanges.length).toBe(before);
  });

  it('answers 504 {message} when Cohere does not answer in time', async () => {
    const res = await post('/v2/chat', { model: 'command-a-03-2025', messages: MESSAGES }, { 'x-llmlab-key': s.user.apiKey, 'x-llmlab-timeout-ms': '300', 'x-fake-hang': '1' });
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ message: 'LLMLab proxy: cohere did not answer within 300 ms' });
  });

  it('refuses a call past a rate limit with 429 {message}', async () => {
    const own = await ownProject();
    expect((await own.api('/api/rate-limits', { body: { name: 'one a minute', requests_per_minute: 1, scope: { provider: 'cohere' } } })).status).toBe(201);
    const client = own.cohere();
    await client.chat({ model: 'command-a-03-2025', messages: MESSAGES });
    const err = await client.chat({ model: 'command-a-03-2025', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 429, body: { message: expect.stringContaining('one a minute') } });
    expect(Object.keys((err as { body: object }).body)).toEqual(['message']);
  });

  it('sends the stored key as the bearer token in place of an LLMLab key', async () => {
    const own = await ownProject();
    const put = await own.api('/api/gateway/provider-keys/cohere', { method: 'PUT', body: { key: 'co-stored-secret-8765' } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ provider: 'cohere', hint: '...8765' });
    await own.cohere({ token: own.user.apiKey, headers: { 'x-llmlab-key': '', 'x-llmlab-feature': 'cohere-stored' } }).chat({ model: 'command-a-03-2025', messages: MESSAGES });
    expect(lastExchange().headers.authorization).toBe('Bearer co-stored-secret-8765');
    const [event] = await own.waitForEvents(1, { feature: 'cohere-stored' });
    expect(event).toMatchObject({ cost_nanos: COMMAND_A_NANOS, status: 'success' });
  });

  it('aborts the upstream when the client hangs up mid-stream: the usage never came, so the call is unpriced', async () => {
    const before = s.upstream.exchanges.length;
    const res = await post('/v2/chat', { model: 'command-a-03-2025', messages: MESSAGES, stream: true }, { 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'cohere-hangup', 'x-fake-event-delay-ms': '250' });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('message-start');
    await reader.cancel();
    await until(() => s.upstream.exchanges[before]?.aborted === true);
    const [event] = await s.waitForEvents(1, { feature: 'cohere-hangup' });
    expect(event).toMatchObject({ model: 'command-a-03-2025', status: 'error', error_type: 'client_closed', usage_missing: true, cost: null, priced: false });
  });
});
