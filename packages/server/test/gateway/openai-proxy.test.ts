import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signupUser } from '../helpers/server-process.js';
import { type GatewayStack, stackFor, startGatewayStack } from './gateway-stack.js';
import { startGatewayUpstream } from './gateway-upstream.js';

// gpt-4o-mini in the bundled catalog: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
// Default fake chat usage: 1,200 prompt tokens of which 1,024 cached, 300 completion tokens (64 reasoning).
const CHAT_COST_NANOS = 176 * 150 + 1024 * 75 + 300 * 600;

describe('OpenAI through the proxy of a real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  it('relays a chat completion and records its tokens and cost to the nanodollar', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'summarize', 'x-llmlab-user': 'customer-42', 'x-llmlab-tags': 'team=search,tier=pro' } });
    const before = s.upstream.exchanges.length;
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] });
    expect(completion.choices[0].message.content).toBe('Hello from the fake upstream.');
    const exchange = s.upstream.exchanges[before];
    expect(exchange.headers.authorization).toBe('Bearer sk-test-openai');
    expect(Object.keys(exchange.headers).filter((h) => h.startsWith('x-llmlab'))).toEqual([]);
    const [event] = await s.waitForEvents(1, { feature: 'summarize' });
    expect(event).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      input_tokens: completion.usage?.prompt_tokens,
      cached_input_tokens: completion.usage?.prompt_tokens_details?.cached_tokens,
      output_tokens: completion.usage?.completion_tokens,
      reasoning_tokens: completion.usage?.completion_tokens_details?.reasoning_tokens,
      cost_nanos: CHAT_COST_NANOS,
      status: 'success',
      source: 'proxy',
      feature: 'summarize',
      user_id: 'customer-42',
      tags: { team: 'search', tier: 'pro' },
    });
    // SHA-256 of the body as the client sent it (forwarded unchanged here).
    expect(event.request_hash).toBe(createHash('sha256').update(exchange.rawBody).digest('hex'));
    expect(event.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('records the calls of one agent run under its x-llmlab-session, streamed or not, as one session', async () => {
    const client = s.openai({ headers: { 'x-llmlab-session': ' agent-run-7 ', 'x-llmlab-feature': 'session-proxy', 'x-llmlab-user': 'customer-9' } });
    const messages = [{ role: 'user' as const, content: 'Plan the trip' }];
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    for await (const _chunk of stream);
    const events = await s.waitForEvents(2, { feature: 'session-proxy' });
    expect(events.map((e) => [e.session_id, e.cost_nanos])).toEqual([['agent-run-7', CHAT_COST_NANOS], ['agent-run-7', CHAT_COST_NANOS]]);
    const session = await (await s.api('/api/sessions/agent-run-7')).json();
    expect(session).toMatchObject({ session_id: 'agent-run-7', calls: 2, cost_nanos: 2 * CHAT_COST_NANOS, truncated: false });
    expect(session.events.map((e: { event_id: string }) => e.event_id)).toEqual([...events].reverse().map((e) => e.event_id));
    const list = await (await s.api('/api/sessions?days=1')).json();
    expect(list.sessions.find((r: { session_id: string }) => r.session_id === 'agent-run-7')).toMatchObject({ calls: 2, cost_nanos: 2 * CHAT_COST_NANOS, models: ['openai/gpt-4o-mini-2024-07-18'], end_user: 'customer-9' });
    const tooLong = s.openai({ headers: { 'x-llmlab-session': 'r'.repeat(201) } }).chat.completions.create({ model: 'gpt-4o-mini', messages });
    await expect(tooLong).rejects.toMatchObject({ status: 400, message: expect.stringContaining('header x-llmlab-session is longer than 200 characters') });
  });

  it('records each proxied call under the LLMLab key that sent it', async () => {
    const created = await s.api('/api/keys', { body: { name: 'proxy b', scopes: ['ingest'] } });
    const second = (await created.json()) as { id: string; key: string };
    const { keys } = (await (await s.api('/api/keys')).json()) as { keys: { id: string; name: string }[] };
    const signupKey = keys.find((k) => k.id !== second.id);
    // Sent together, so both land in one background write of the usage buffer.
    await Promise.all(
      [s.user.apiKey, second.key].map((key) =>
        s.openai({ headers: { 'x-llmlab-key': key, 'x-llmlab-feature': 'by-key' } }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
      ),
    );
    const events = await s.waitForEvents(2, { feature: 'by-key' });
    expect(events.map((e) => e.api_key_id).sort()).toEqual([signupKey?.id, second.id].sort());
  });
});

describe('OpenAI streams, errors and keys through the proxy', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  const lastExchange = () => s.lastExchange();

  it('passes a stream with include_usage through byte for byte and records its usage', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'stream-asked' } });
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }).asResponse();
    const received = Buffer.from(await res.arrayBuffer());
    const exchange = lastExchange();
    expect(JSON.parse(exchange.rawBody).stream_options).toEqual({ include_usage: true });
    expect(received.equals(exchange.response)).toBe(true);
    expect(received.toString()).toContain('"choices":[]');
    const [event] = await s.waitForEvents(1, { feature: 'stream-asked' });
    expect(event).toMatchObject({ input_tokens: 1200, cached_input_tokens: 1024, output_tokens: 300, reasoning_tokens: 64, cost_nanos: CHAT_COST_NANOS, status: 'success' });
    expect(event.metadata).toMatchObject({ stream: true, http_status: 200 });
  });

  it('asks for usage on a stream that did not, records it, and hides the extra usage chunk from the client', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'stream-silent', 'x-fake-usage': JSON.stringify({ chat: { prompt_tokens: 50, cached_tokens: 0, completion_tokens: 7, reasoning_tokens: 0 } }) } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const exchange = lastExchange();
    expect(JSON.parse(exchange.rawBody).stream_options).toEqual({ include_usage: true });
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('Hello from the fake upstream.');
    const upstreamEvents = exchange.response.toString().split('\n\n').filter(Boolean);
    expect(chunks).toHaveLength(upstreamEvents.length - 2);
    const [event] = await s.waitForEvents(1, { feature: 'stream-silent' });
    expect(event).toMatchObject({ input_tokens: 50, output_tokens: 7, cost_nanos: 50 * 150 + 7 * 600, status: 'success' });
    expect(event.metadata).toMatchObject({ usage_requested_by_proxy: true });
  });

  it('records a stream and an answer that never report usage as unpriced usage_missing, never as $0', async () => {
    // A project of its own, so that its summary holds these calls alone.
    const own = stackFor(s.server, s.upstream, await signupUser(s.server.baseUrl), false);
    await own.openai({ headers: { 'x-llmlab-feature': 'priced' } }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    // The upstream ignores the include_usage the proxy asks for, as some OpenAI-compatible servers do.
    const client = own.openai({ headers: { 'x-llmlab-feature': 'no-usage', 'x-fake-no-usage': '1' } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const text: string[] = [];
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    expect(text.join('')).toBe('Hello from the fake upstream.');
    expect(JSON.parse(lastExchange().rawBody).stream_options).toEqual({ include_usage: true });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.usage).toBeUndefined();
    const events = await own.waitForEvents(2, { feature: 'no-usage' });
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ status: 'success', usage_missing: true, cost: null, priced: false, input_tokens: 0, output_tokens: 0 });
      expect(e.metadata).toMatchObject({ http_status: 200, usage_reported: false });
    }
    await own.waitForEvents(3);
    const summary = (await (await own.api('/api/costs/summary')).json()) as { calls: number; unpriced_calls: number; total_spend: number; total_spend_nanos: number };
    expect(summary).toMatchObject({ calls: 3, unpriced_calls: 2, total_spend_nanos: CHAT_COST_NANOS });
    expect(summary.total_spend).toBeCloseTo(CHAT_COST_NANOS / 1e9, 9);
  });

  it('records a free moderation (no usage in its answer) as a $0 call, not a missing usage', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'moderation' } });
    const answer = await client.moderations.create({ model: 'omni-moderation-latest', input: 'hello' });
    expect(answer.results[0].flagged).toBe(false);
    const [event] = await s.waitForEvents(1, { feature: 'moderation' });
    expect(event).toMatchObject({ model: 'omni-moderation-latest', status: 'success', usage_missing: false, input_tokens: 0, output_tokens: 0 });
    expect(event.metadata).toMatchObject({ path: '/v1/moderations', usage_reported: false });
  });

  it('records the Responses API and embeddings, JSON and streamed', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'responses' } });
    const json = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi' });
    const streamed = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', stream: true });
    for await (const _ of streamed) {
      // drain
    }
    await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    const events = await s.waitForEvents(3, { feature: 'responses' });
    const byModel = events.map((e) => [e.model, e.input_tokens, e.cached_input_tokens, e.output_tokens, e.reasoning_tokens, e.cost_nanos]);
    const responsesCost = (900 - 512) * 150 + 512 * 75 + 250 * 600;
    expect(json.usage?.input_tokens).toBe(900);
    // text-embedding-3-small: $0.02 per million input tokens; 8 tokens.
    expect(byModel).toEqual([
      ['text-embedding-3-small', 8, 0, 0, 0, 8 * 20],
      ['gpt-4o-mini-2024-07-18', 900, 512, 250, 100, responsesCost],
      ['gpt-4o-mini-2024-07-18', 900, 512, 250, 100, responsesCost],
    ]);
  });

  it('decodes an answer the provider compressed anyway, and passes one it cannot decode through as sent', async () => {
    const client = s.openai({ headers: { 'x-llmlab-feature': 'gzipped', 'x-fake-encoding': 'gzip' } });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('Hello from the fake upstream.');
    expect(lastExchange().headers['accept-encoding']).toBe('identity');
    const [event] = await s.waitForEvents(1, { feature: 'gzipped' });
    expect(event).toMatchObject({ input_tokens: 1200, output_tokens: 300, cost_nanos: CHAT_COST_NANOS, status: 'success' });

    const odd = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const body = '{"model":"gpt-4o-mini","messages":[]}';
      const url = new URL(`${s.server.baseUrl}/proxy/openai/v1/chat/completions`);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: 'Bearer sk-test-openai', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-llmlab-key': s.user.apiKey, 'x-fake-encoding': 'x-unheard-of' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(odd.headers['content-encoding']).toBe('x-unheard-of');
    expect(odd.headers['content-length']).toBe(String(odd.body.byteLength));
    expect(odd.body.equals(lastExchange().response)).toBe(true);
  });

  it('passes an upstream error through unchanged and records a failed call', async () => {
    const body = { error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', param: null, code: 'rate_limit_exceeded' } };
    const client = s.openai({ headers: { 'x-llmlab-feature': 'failing', 'x-fake-fail': JSON.stringify({ status: 429, body }) } });
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: '429 Rate limit reached for gpt-4o-mini' });
    const [event] = await s.waitForEvents(1, { feature: 'failing' });
    // Providers do not bill a refused call: an error with no tokens, priced at $0, not a call whose usage went missing.
    expect(event).toMatchObject({ status: 'error', error_type: 'requests', input_tokens: 0, output_tokens: 0, cost_nanos: 0, priced: true, usage_missing: false, model: 'gpt-4o-mini' });
    expect(event.metadata).toMatchObject({ http_status: 429 });
  });

  it('answers a missing or wrong LLMLab key in the OpenAI error format', async () => {
    const anonymous = s.openai();
    const noKey = await fetch(`${s.server.baseUrl}/proxy/openai/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' }, body: '{"model":"gpt-4o-mini","messages":[]}' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key', message: expect.stringContaining('x-llmlab-key') } });
    const wrong = s.openai({ headers: { 'x-llmlab-key': 'llmlab_not-a-real-key' } });
    const err = await wrong.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, message: '401 LLMLab proxy: invalid or revoked API key' });
    const badTags = await anonymous.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }, { headers: { 'x-llmlab-tags': '{"team":' } }).catch((e: unknown) => e);
    expect(badTags).toMatchObject({ status: 400, message: expect.stringContaining('x-llmlab-tags is not valid JSON') });
  });

  it('uses the stored provider key when the LLMLab key is the API key, and never shows it', async () => {
    const put = await s.api('/api/gateway/provider-keys/openai', { method: 'PUT', body: { key: 'sk-stored-secret-9876' } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ provider: 'openai', hint: '...9876' });
    const listed = await (await s.api('/api/gateway/provider-keys')).text();
    expect(listed).not.toContain('sk-stored');
    await new Promise((r) => setTimeout(r, 1100));
    const client = s.openai({ apiKey: s.user.apiKey, headers: { 'x-llmlab-key': '', 'x-llmlab-feature': 'stored-key' } });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(lastExchange().headers.authorization).toBe('Bearer sk-stored-secret-9876');
    expect(await s.waitForEvents(1, { feature: 'stored-key' })).toHaveLength(1);
    expect((await s.api('/api/gateway/provider-keys/openai', { method: 'DELETE' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, message: expect.stringContaining('stores no openai key') });
  });
});

describe('OpenAI behind a base URL with a path (Azure, OpenRouter and the like)', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    const upstream = await startGatewayUpstream();
    s = await startGatewayStack({ upstream, env: { LLMLAB_OPENAI_BASE_URL: `${upstream.url}/openai/` } });
  });
  afterAll(async () => {
    await s?.stop();
    await s?.upstream.close();
  });

  it('sends the client path and query after the base path, as sent, and passes the answer back', async () => {
    const res = await fetch(`${s.server.baseUrl}/proxy/openai/v1/chat/completions?api-version=2024-10-21&x=a%2Fb`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test-openai', 'content-type': 'application/json', 'x-llmlab-key': s.user.apiKey, 'x-llmlab-feature': 'prefixed' },
      body: '{"model":"gpt-4o-mini","messages":[]}',
    });
    const [exchange] = s.upstream.exchanges;
    expect(exchange.target).toBe('/openai/v1/chat/completions?api-version=2024-10-21&x=a%2Fb');
    // The fake upstream knows no /openai prefix: its 404 comes back as it answered it.
    expect(res.status).toBe(404);
    expect(Buffer.from(await res.arrayBuffer()).equals(exchange.response)).toBe(true);
    const [event] = await s.waitForEvents(1, { feature: 'prefixed' });
    expect(event).toMatchObject({ status: 'error', error_type: 'invalid_request_error', model: 'gpt-4o-mini', cost_nanos: 0 });
    expect(event.metadata).toMatchObject({ path: '/v1/chat/completions', http_status: 404 });
  });
});
