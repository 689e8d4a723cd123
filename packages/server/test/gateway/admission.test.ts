import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, startGatewayStack } from './gateway-stack.js';

describe('proxy load shedding and body limit', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack({ env: { LLMLAB_MAX_INFLIGHT: '2' } });
  });
  afterAll(() => s?.stop());

  const call = (headers: Record<string, string> = {}) =>
    fetch(`${s.server.baseUrl}/proxy/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test-openai', 'x-llmlab-key': s.user.apiKey, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('refuses a call past the in-flight limit with 503 and Retry-After before it reaches the provider, and takes the next one once a slot is free', async () => {
    const before = s.upstream.exchanges.length;
    const slow = [call({ 'x-fake-delay-ms': '1500' }), call({ 'x-fake-delay-ms': '1500' })];
    // Both slow calls hold their slots once the provider has them.
    const deadline = Date.now() + 5000;
    while (s.upstream.exchanges.length < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const refused = await call();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: { code: 'unavailable', message: 'server busy; retry after 1 s' } });
    expect(s.upstream.exchanges.length).toBe(before + 2);

    for (const res of await Promise.all(slow)) expect(res.status).toBe(200);
    const next = await call();
    expect(next.status).toBe(200);
    expect((await next.json()).object).toBe('chat.completion');
    expect(s.upstream.exchanges.length).toBe(before + 3);
  });

  it('refuses a chunked body that grows past 64 MB with 413 in the provider format, and forwards nothing', async () => {
    const before = s.upstream.exchanges.length;
    const url = new URL(`${s.server.baseUrl}/proxy/openai/v1/chat/completions`);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      // No content-length: the body arrives in 1 MB chunks, 65 of them.
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: 'Bearer sk-test-openai', 'x-llmlab-key': s.user.apiKey, 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 65) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', more);
        }
        req.end();
      };
      more();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: { message: 'LLMLab proxy: request body is larger than 64 MB', type: 'invalid_request_error', code: 'request_too_large', param: null } });
    expect(s.upstream.exchanges.length).toBe(before);
    // The server is still there for the next call.
    expect((await call()).status).toBe(200);
  });
});
