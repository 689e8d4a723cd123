import { catalogRates } from '@llmlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack, until } from './gateway-stack.js';

// gemini-2.5-flash in the bundled catalog: $0.30/M input, $0.03/M cached input, $2.50/M output (thinking bills as output).
// Default fake usageMetadata: promptTokenCount 1,500 of which cachedContentTokenCount 1,024, candidatesTokenCount 200,
// thoughtsTokenCount 350: 476 uncached x $0.30 + 1,024 x $0.03 + 550 x $2.50 per million = 1,548,520 nanos.
const FLASH_NANOS = (1500 - 1024) * 300 + 1024 * 30 + (200 + 350) * 2500;
const FLASH_TOKENS = { input_tokens: 1500, cached_input_tokens: 1024, cache_write_tokens: 0, output_tokens: 550, reasoning_tokens: 350 };
const GENERATE = '/v1beta/models/gemini-2.5-flash:generateContent';
const CONTENTS = [{ role: 'user', parts: [{ text: 'Say hello' }] }];

describe('Gemini through the proxy of a real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    // Debug logging: whatever the server logs, a key sent in ?key= must not be in it.
    s = await startGatewayStack({ env: { LLMLAB_LOG_LEVEL: 'debug' } });
  });
  afterAll(() => s?.stop());

  const lastExchange = () => s.lastExchange();
  /** A project of its own: a fresh profile, so keys and budgets set before its first call apply at once. */
  const ownProject = () => s.ownProject();
  const post = (target: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${s.server.baseUrl}/proxy/google${target}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('relays generateContent and records thinking and cached tokens at their own rates, to the nanodollar', async () => {
    expect(catalogRates('google', 'gemini-2.5-flash', Date.now())?.rates).toMatchObject({ input_mtok: 0.3, cache_read_mtok: 0.03, output_mtok: 2.5 });
    const client = s.google({ headers: { 'x-llmlab-feature': 'gemini-chat', 'x-llmlab-user': 'customer-7', 'x-llmlab-tags': 'team=search' } });
    const answer = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Say hello' });
    expect(answer.text).toBe('Hello from the fake upstream.');
    expect(answer.usageMetadata).toMatchObject({ promptTokenCount: 1500, cachedContentTokenCount: 1024, candidatesTokenCount: 200, thoughtsTokenCount: 350 });
    const exchange = lastExchange();
    expect(exchange.path).toBe(`/google${GENERATE}`);
    expect(exchange.headers['x-goog-api-key']).toBe('AIza-test-google');
    expect(Object.keys(exchange.headers).filter((h) => h.startsWith('x-llmlab'))).toEqual([]);
    const [event] = await s.waitForEvents(1, { feature: 'gemini-chat' });
    expect(event).toMatchObject({
      provider: 'google',
      model: 'gemini-2.5-flash',
      ...FLASH_TOKENS,
      cost_nanos: FLASH_NANOS,
      priced: true,
      usage_missing: false,
      status: 'success',
      source: 'proxy',
      user_id: 'customer-7',
      tags: { team: 'search' },
    });
    expect(event.cost).toBeCloseTo(0.00154852, 12);
    expect(event.metadata).toMatchObject({ path: GENERATE, http_status: 200, stream: false });
  });

  it('relays streamGenerateContent (SSE) byte for byte and counts the usage of its last chunk once', async () => {
    const raw = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', { contents: CONTENTS }, { 'x-goog-api-key': 'AIza-test-google', 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'gemini-sse' });
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    const received = Buffer.from(await raw.arrayBuffer());
    expect(received.equals(lastExchange().response)).toBe(true);
    // Six chunks, each repeating the prompt, cache and thinking counts: summing them would count the prompt six times.
    expect(received.toString().match(/"promptTokenCount":1500/g)).toHaveLength(6);

    const client = s.google({ headers: { 'x-llmlab-feature': 'gemini-sse' } });
    const text: string[] = [];
    for await (const chunk of await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Say hello' })) text.push(chunk.text ?? '');
    expect(text.join('')).toBe('Hello from the fake upstream.');
    const events = await s.waitForEvents(2, { feature: 'gemini-sse' });
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', ...FLASH_TOKENS, cost_nanos: FLASH_NANOS, status: 'success' });
      expect(e.metadata).toMatchObject({ path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent', stream: true });
    }
  });

  it('records a streamGenerateContent answered as one JSON array (no alt=sse) once, at its last usage', async () => {
    const res = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent', { contents: CONTENTS }, { 'x-goog-api-key': 'AIza-test-google', 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'gemini-array' });
    const chunks = (await res.json()) as { usageMetadata: { candidatesTokenCount?: number } }[];
    expect(chunks).toHaveLength(6);
    expect(chunks.map((c) => c.usageMetadata.candidatesTokenCount ?? 0)).toEqual([33, 66, 100, 133, 166, 200]);
    const [event] = await s.waitForEvents(1, { feature: 'gemini-array' });
    expect(event).toMatchObject({ model: 'gemini-2.5-flash', ...FLASH_TOKENS, cost_nanos: FLASH_NANOS, status: 'success' });
  });

  it('passes countTokens through without recording it, and records an embedding call it cannot price as unpriced, never $0', async () => {
    const own = await ownProject();
    const client = own.google({ headers: { 'x-llmlab-feature': 'gemini-free' } });
    const counted = await client.models.countTokens({ model: 'gemini-2.5-flash', contents: 'Say hello' });
    expect(counted.totalTokens).toBe(1500);
    expect(lastExchange().path).toBe('/google/v1beta/models/gemini-2.5-flash:countTokens');
    const embedded = await client.models.embedContent({ model: 'gemini-embedding-001', contents: ['a', 'b'] });
    expect(embedded.embeddings).toHaveLength(2);
    await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Say hello' });
    // The generateContent call was sent last: once it is stored, the calls before it are too.
    await until(async () => (await own.waitForEvents(1)).some((e) => String(e.metadata?.path).endsWith(':generateContent')));
    const events = await own.waitForEvents(2);
    expect(events.map((e) => e.metadata?.path).sort()).toEqual(['/v1beta/models/gemini-2.5-flash:generateContent', '/v1beta/models/gemini-embedding-001:batchEmbedContents']);
    // Gemini's embedding answers carry no token count.
    const embedding = events.find((e) => e.model === 'gemini-embedding-001');
    expect(embedding).toMatchObject({ provider: 'google', status: 'success', priced: false, cost: null, cost_nanos: null });
  });

  it('passes a key sent as ?key= upstream, and keeps it out of the stored event and the server log', async () => {
    const secret = 'AIzaSy-query-secret-4242';
    const before = s.upstream.exchanges.length;
    const ok = await post(`${GENERATE}?key=${secret}`, { contents: CONTENTS }, { 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'query-key' });
    expect(ok.status).toBe(200);
    const invalid = { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } };
    const refused = await post(`${GENERATE}?alt=json&key=${secret}`, { contents: CONTENTS }, { 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'query-key', 'x-fake-fail': JSON.stringify({ status: 400, body: invalid }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual(invalid);
    expect(s.upstream.exchanges.slice(before).map((e) => e.target)).toEqual([`/google${GENERATE}?key=${secret}`, `/google${GENERATE}?alt=json&key=${secret}`]);
    const events = await s.waitForEvents(2, { feature: 'query-key' });
    expect(events.map((e) => [e.status, e.error_type, e.cost_nanos])).toEqual([
      ['error', 'INVALID_ARGUMENT', 0],
      ['success', null, FLASH_NANOS],
    ]);
    for (const e of events) expect(e.metadata?.path).toBe(GENERATE);
    expect(JSON.stringify(events)).not.toContain(secret);
    const exported = await (await s.api('/api/export?format=json')).text();
    expect(exported).not.toContain(secret);
    expect(s.server.logs()).not.toContain(secret);
  });

  it('sends the stored key in place of an LLMLab key given as x-goog-api-key or ?key=', async () => {
    const own = await ownProject();
    const put = await own.api('/api/gateway/provider-keys/google', { method: 'PUT', body: { key: 'AIza-stored-google-5678' } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ provider: 'google', hint: '...5678' });
    // No x-llmlab-key: the LLMLab key travels as the Gemini key.
    const client = own.google({ apiKey: own.user.apiKey, headers: { 'x-llmlab-key': '', 'x-llmlab-feature': 'stored-google' } });
    await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    expect(lastExchange().headers['x-goog-api-key']).toBe('AIza-stored-google-5678');
    const viaQuery = await post(`${GENERATE}?key=${own.user.apiKey}`, { contents: CONTENTS }, { 'x-llmlab-feature': 'stored-google' });
    expect(viaQuery.status).toBe(200);
    expect(lastExchange().target).toBe(`/google${GENERATE}?key=AIza-stored-google-5678`);
    expect(lastExchange().headers['x-goog-api-key']).toBeUndefined();
    const events = await own.waitForEvents(2, { feature: 'stored-google' });
    expect(events.map((e) => [e.status, e.cost_nanos])).toEqual([
      ['success', FLASH_NANOS],
      ['success', FLASH_NANOS],
    ]);
    expect(JSON.stringify(events)).not.toContain(own.user.apiKey);
    expect(s.server.logs()).not.toContain(own.user.apiKey);
  });

  it('answers a hard budget and a missing LLMLab key in the Gemini error format, without calling Google', async () => {
    const own = await ownProject();
    // Any gemini-2.5-flash call is estimated above $0.0001: up to 4,096 output tokens at $2.50/M alone is $0.01.
    expect((await own.api('/api/budgets', { body: { name: 'Gemini cap', amount: 0.0001, period: 'monthly', hard_limit: true } })).status).toBe(201);
    const before = s.upstream.exchanges.length;
    const res = await fetch(`${s.server.baseUrl}/proxy/google${GENERATE}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-goog-api-key': 'AIza-test-google', 'x-llmlab-key': own.user.apiKey }, body: JSON.stringify({ contents: CONTENTS }) });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('LLMLab hard budget "Gemini cap"') } });
    const err = await own.google().models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, message: expect.stringContaining('RESOURCE_EXHAUSTED') });
    const anonymous = await post(GENERATE, { contents: CONTENTS }, { 'x-goog-api-key': 'AIza-test-google' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 401, status: 'UNAUTHENTICATED', message: expect.stringContaining('x-llmlab-key') } });
    expect(s.upstream.exchanges.length).toBe(before);
  });

  it('answers 504 DEADLINE_EXCEEDED when Google does not answer in time, and aborts the call', async () => {
    const before = s.upstream.exchanges.length;
    const res = await post(GENERATE, { contents: CONTENTS }, { 'x-goog-api-key': 'AIza-test-google', 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'gemini-timeout', 'x-llmlab-timeout-ms': '300', 'x-fake-hang': '1' });
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: { code: 504, status: 'DEADLINE_EXCEEDED', message: 'LLMLab proxy: google did not answer within 300 ms' } });
    await until(() => s.upstream.exchanges[before]?.aborted === true);
    const [event] = await s.waitForEvents(1, { feature: 'gemini-timeout' });
    expect(event).toMatchObject({ model: 'gemini-2.5-flash', status: 'error', error_type: 'timeout', cost_nanos: 0, usage_missing: false });
  });

  it('refuses a call past a rate limit with 429 RESOURCE_EXHAUSTED, as Gemini does', async () => {
    const own = await ownProject();
    expect((await own.api('/api/rate-limits', { body: { name: 'one a minute', requests_per_minute: 1, scope: { provider: 'google' } } })).status).toBe(201);
    const client = own.google({ headers: { 'x-llmlab-feature': 'gemini-limited' } });
    await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    const before = s.upstream.exchanges.length;
    const res = await post(GENERATE, { contents: CONTENTS }, { 'x-goog-api-key': 'AIza-test-google', 'x-llmlab-key': own.user.apiKey });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('one a minute') } });
    expect(s.upstream.exchanges.length).toBe(before);
    expect(await own.waitForEvents(1, { feature: 'gemini-limited' })).toHaveLength(1);
  });

  it('aborts the upstream stream when the client hangs up, and records the call unpriced, its output unknown', async () => {
    const before = s.upstream.exchanges.length;
    const res = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', { contents: CONTENTS }, { 'x-goog-api-key': 'AIza-test-google', 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'gemini-hangup', 'x-fake-event-delay-ms': '250' });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"text":"Hello"');
    await reader.cancel();
    await until(() => s.upstream.exchanges[before]?.aborted === true);
    expect(s.upstream.exchanges[before].finished).toBe(false);
    const [event] = await s.waitForEvents(1, { feature: 'gemini-hangup' });
    // Every chunk repeats the usage so far; only the last (with finishReason) is final. Cut short before it, the
    // output is unknown: usage_missing and unpriced, as for OpenAI and Anthropic streams, with the prompt the first chunk told.
    expect(event).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', status: 'error', error_type: 'client_closed', usage_missing: true, cost: null, priced: false, input_tokens: 1500, cached_input_tokens: 1024 });
  });
});
