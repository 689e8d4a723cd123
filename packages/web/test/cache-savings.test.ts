import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../src/components/format';
import { api, openPage, useDashboard } from './harness';

// An OpenAI stand-in for the proxy: every chat completion reports 1,000 prompt and 500 completion tokens of gpt-4 ($0.06).
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const usage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage }));
  });
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
afterAll(() => new Promise((r) => upstream.close(r)));

const d = useDashboard({ env: { LLMLAB_OPENAI_BASE_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` } });

describe('the overview with the response cache', () => {
  it('shows what the cache saved in the range, the figure of the API', async () => {
    const call = () =>
      fetch(`${d.server.baseUrl}/proxy/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', 'x-llmlab-key': d.apiKey, 'x-llmlab-cache': 'true' },
        body: JSON.stringify({ model: 'gpt-4', messages: [{ role: 'user', content: 'Hi' }] }),
      });
    expect((await call()).headers.get('x-llmlab-cache')).toBe('MISS');
    // Stored just after it is relayed: ask again until the cache answers, then once more.
    await expect.poll(async () => (await call()).headers.get('x-llmlab-cache')).toBe('HIT');
    expect((await call()).headers.get('x-llmlab-cache')).toBe('HIT');
    const summary = async () => (await api<{ cache_savings: number; cache_hits: number }>(d, '/api/costs/summary?days=30&tz=UTC')).body;
    await expect.poll(async () => (await summary()).cache_hits).toBeGreaterThanOrEqual(2);
    const { cache_savings, cache_hits } = await summary();
    expect(cache_savings).toBeCloseTo(cache_hits * 0.06, 9);

    const page = await openPage(d, '/');
    const card = page.getByTestId('card-saved');
    await card.waitFor();
    expect(await page.getByTestId('value-saved').textContent()).toBe(formatUsd(cache_savings));
    expect(await card.textContent()).toContain(`${cache_hits} calls answered from the cache`);
    expect(await card.textContent()).toContain('Saved by cache · Last 30 days');
    await page.close();
  });
});
