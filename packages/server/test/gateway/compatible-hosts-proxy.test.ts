import { catalogRates } from '@llmlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayStack, type StoredEvent, startGatewayStack, until } from './gateway-stack.js';
import type { CompatibleHost } from './hosts/compatible.js';
import type { CompatibleCounts } from './hosts/host-context.js';

// Default fake usage on every host: a 2,000-token prompt of which 1,500 read from the cache, 120 tokens of
// answer and 80 of reasoning; each host reports them in its own fields (hosts/compatible.ts) and not all report each.

/** DeepSeek halves its prices off-peak: the catalog's rates from 16:30 to 00:30 UTC. */
function deepseekPeak(ts: number): boolean {
  const d = new Date(ts);
  const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
  return minutes >= 30 && minutes < 16 * 60 + 30;
}

interface HostCase {
  host: CompatibleHost;
  model: string;
  usage?: Partial<CompatibleCounts>;
  /** The event's provider and model, and its tokens. */
  provider: string;
  answered: string;
  tokens: { input_tokens: number; cached_input_tokens: number; output_tokens: number; reasoning_tokens: number };
  /** The cost in nanodollars at the event's time, by the catalog's published rates ($/M tokens x tokens x 1,000). */
  cost(ts: number): number;
  /** The catalog's rates that cost() uses, checked against the catalog. */
  rates: Record<string, number> | ((ts: number) => Record<string, number>);
}

const CASES: HostCase[] = [
  // Groq reports no cache or reasoning split: 2,000 in, 200 out at $0.59/M and $0.79/M.
  { host: 'groq', model: 'llama-3.3-70b-versatile', provider: 'groq', answered: 'llama-3.3-70b-versatile', tokens: { input_tokens: 2000, cached_input_tokens: 0, output_tokens: 200, reasoning_tokens: 0 }, rates: { input_mtok: 0.59, output_mtok: 0.79 }, cost: () => 2000 * 590 + 200 * 790 },
  // DeepSeek's prompt_cache_hit_tokens are the cached input: 500 misses, 1,500 hits, 200 out (80 reasoning).
  // Peak (00:30-16:30 UTC) $0.55/M, $0.14/M, $2.19/M; off-peak $0.135/M, $0.035/M, $0.55/M.
  {
    host: 'deepseek', model: 'deepseek-reasoner', provider: 'deepseek', answered: 'deepseek-reasoner', tokens: { input_tokens: 2000, cached_input_tokens: 1500, output_tokens: 200, reasoning_tokens: 80 },
    rates: (ts) => (deepseekPeak(ts) ? { input_mtok: 0.55, cache_read_mtok: 0.14, output_mtok: 2.19 } : { input_mtok: 0.135, cache_read_mtok: 0.035, output_mtok: 0.55 }),
    cost: (ts) => (deepseekPeak(ts) ? 500 * 550 + 1500 * 140 + 200 * 2190 : 500 * 135 + 1500 * 35 + 200 * 550),
  },
  { host: 'mistral', model: 'mistral-small-latest', provider: 'mistral', answered: 'mistral-small-latest', tokens: { input_tokens: 2000, cached_input_tokens: 0, output_tokens: 200, reasoning_tokens: 0 }, rates: { input_mtok: 0.1, output_mtok: 0.3 }, cost: () => 2000 * 100 + 200 * 300 },
  { host: 'together', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', provider: 'together', answered: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', tokens: { input_tokens: 2000, cached_input_tokens: 0, output_tokens: 200, reasoning_tokens: 0 }, rates: { input_mtok: 0.88, output_mtok: 0.88 }, cost: () => 2200 * 880 },
  // Fireworks reports its cache reads in prompt_tokens_details: $0.15/M, $0.014/M cached, $0.60/M out.
  { host: 'fireworks', model: 'accounts/fireworks/models/gpt-oss-120b', provider: 'fireworks', answered: 'accounts/fireworks/models/gpt-oss-120b', tokens: { input_tokens: 2000, cached_input_tokens: 1500, output_tokens: 200, reasoning_tokens: 0 }, rates: { input_mtok: 0.15, cache_read_mtok: 0.014, output_mtok: 0.6 }, cost: () => 500 * 150 + 1500 * 14 + 200 * 600 },
  // OpenRouter routes openrouter/auto to anthropic/claude-3.5-sonnet, priced at OpenRouter's $3/M and $15/M (no cache rate in the catalog: cache reads at the input rate).
  { host: 'openrouter', model: 'openrouter/auto', provider: 'openrouter', answered: 'anthropic/claude-3.5-sonnet', tokens: { input_tokens: 2000, cached_input_tokens: 1500, output_tokens: 200, reasoning_tokens: 80 }, rates: { input_mtok: 3, output_mtok: 15 }, cost: () => 2000 * 3000 + 200 * 15_000 },
  // xAI's completion_tokens (120) leave out the reasoning (80): output 200. $0.30/M, $0.075/M cached, $0.50/M out.
  { host: 'xai', model: 'grok-3-mini', provider: 'x-ai', answered: 'grok-3-mini', tokens: { input_tokens: 2000, cached_input_tokens: 1500, output_tokens: 200, reasoning_tokens: 80 }, rates: { input_mtok: 0.3, cache_read_mtok: 0.075, output_mtok: 0.5 }, cost: () => 500 * 300 + 1500 * 75 + 200 * 500 },
  // Perplexity sonar: $1/M in and out, plus $12 per 1,000 requests = $0.012 = 12,000,000 nanos a call.
  { host: 'perplexity', model: 'sonar', usage: { reasoning_tokens: 0 }, provider: 'perplexity', answered: 'sonar', tokens: { input_tokens: 2000, cached_input_tokens: 0, output_tokens: 120, reasoning_tokens: 0 }, rates: { input_mtok: 1, output_mtok: 1, requests_kcount: 12 }, cost: () => 2000 * 1000 + 120 * 1000 + 12_000_000 },
  // sonar-reasoning-pro: top-level reasoning_tokens (80) beside completion_tokens (120); $2/M, $8/M, $14 per 1,000 requests.
  { host: 'perplexity', model: 'sonar-reasoning-pro', provider: 'perplexity', answered: 'sonar-reasoning-pro', tokens: { input_tokens: 2000, cached_input_tokens: 0, output_tokens: 200, reasoning_tokens: 80 }, rates: { input_mtok: 2, output_mtok: 8, requests_kcount: 14 }, cost: () => 2000 * 2000 + 200 * 8000 + 14_000_000 },
  // Cerebras: cache reads reported, no cache rate in the catalog: all 2,000 at $0.85/M; 200 out at $1.20/M.
  { host: 'cerebras', model: 'llama-3.3-70b', provider: 'cerebras', answered: 'llama-3.3-70b', tokens: { input_tokens: 2000, cached_input_tokens: 1500, output_tokens: 200, reasoning_tokens: 0 }, rates: { input_mtok: 0.85, output_mtok: 1.2 }, cost: () => 2000 * 850 + 200 * 1200 },
];

const MESSAGES = [{ role: 'user' as const, content: 'Say hello' }];

describe('OpenAI-compatible hosts through the proxy of a real server', () => {
  let s: GatewayStack;
  beforeAll(async () => {
    s = await startGatewayStack();
  });
  afterAll(() => s?.stop());

  const lastExchange = () => s.lastExchange();
  const ownProject = () => s.ownProject();
  const headersOf = (c: HostCase, feature: string) => ({ 'x-llmlab-feature': feature, ...(c.usage ? { 'x-fake-usage': JSON.stringify({ compatible: c.usage }) } : {}) });
  const expectPriced = (c: HostCase, event: StoredEvent) => {
    expect(catalogRates(c.provider, c.answered, event.ts)?.rates).toMatchObject(typeof c.rates === 'function' ? c.rates(event.ts) : c.rates);
    expect(event).toMatchObject({ provider: c.provider, model: c.answered, ...c.tokens, cost_nanos: c.cost(event.ts), priced: true, usage_missing: false, status: 'success', source: 'proxy' });
  };

  it.each(CASES)('$host $model: relays a chat completion and records its tokens and cost to the nanodollar', async (c) => {
    const feature = `json-${c.host}-${c.model}`;
    const completion = await s.compatible(c.host, { headers: headersOf(c, feature) }).chat.completions.create({ model: c.model, messages: MESSAGES });
    expect(completion.choices[0].message.content).toBe('Hello from the fake upstream.');
    expect(completion.model).toBe(c.answered);
    const exchange = lastExchange();
    expect(exchange.path).toMatch(new RegExp(`^/${c.host}(/openai|/inference|/api)?/v1/chat/completions$`));
    expect(exchange.headers.authorization).toBe(`Bearer ${c.host}-test-key`);
    expect(Object.keys(exchange.headers).filter((h) => h.startsWith('x-llmlab'))).toEqual([]);
    const [event] = await s.waitForEvents(1, { feature });
    expectPriced(c, event);
    expect(event.metadata).toMatchObject({ path: '/v1/chat/completions', http_status: 200, stream: false });
  });

  it.each(CASES)('$host $model: relays a stream as the host sends it and records its usage once', async (c) => {
    const feature = `stream-${c.host}-${c.model}`;
    const stream = await s.compatible(c.host, { headers: headersOf(c, feature) }).chat.completions.create({ model: c.model, messages: MESSAGES, stream: true });
    const text: string[] = [];
    for await (const chunk of stream) {
      text.push(chunk.choices[0]?.delta.content ?? '');
      // The client asked for no usage chunk: any the proxy asked for is not passed on.
      expect(chunk.choices.length === 0 && chunk.usage).toBeFalsy();
    }
    expect(text.join('')).toBe('Hello from the fake upstream.');
    const events = await s.waitForEvents(1, { feature });
    expect(events).toHaveLength(1);
    expectPriced(c, events[0]);
    expect(events[0].metadata).toMatchObject({ stream: true });
  });

  it('records a DeepSeek cache hit as cached input and a miss at the full rate', async () => {
    const client = s.compatible('deepseek', { headers: { 'x-llmlab-feature': 'deepseek-cache', 'x-fake-usage': JSON.stringify({ compatible: { prompt_tokens: 1000, cached_tokens: 800, text_tokens: 50, reasoning_tokens: 0 } }) } });
    const completion = await client.chat.completions.create({ model: 'deepseek-chat', messages: MESSAGES });
    expect(completion.usage).toMatchObject({ prompt_tokens: 1000, prompt_cache_hit_tokens: 800, prompt_cache_miss_tokens: 200 });
    expect(completion.usage).not.toHaveProperty('prompt_tokens_details');
    const [event] = await s.waitForEvents(1, { feature: 'deepseek-cache' });
    // deepseek-chat: peak $0.27/M miss, $0.07/M hit, $1.10/M out; off-peak $0.135/M, $0.035/M, $0.55/M.
    const peak = deepseekPeak(event.ts);
    expect(catalogRates('deepseek', 'deepseek-chat', event.ts)?.rates).toMatchObject(peak ? { input_mtok: 0.27, cache_read_mtok: 0.07, output_mtok: 1.1 } : { input_mtok: 0.135, cache_read_mtok: 0.035, output_mtok: 0.55 });
    expect(event).toMatchObject({ model: 'deepseek-chat', input_tokens: 1000, cached_input_tokens: 800, output_tokens: 50, reasoning_tokens: 0, cost_nanos: peak ? 200 * 270 + 800 * 70 + 50 * 1100 : 200 * 135 + 800 * 35 + 50 * 550 });
  });

  it('records the model OpenRouter routed to, keeps the one asked for and the credits it reported, and relays its stream comments', async () => {
    const client = s.compatible('openrouter', { headers: { 'x-llmlab-feature': 'openrouter-routed' } });
    const res = await client.chat.completions.create({ model: 'openrouter/auto', messages: MESSAGES, stream: true, stream_options: { include_usage: true } }).asResponse();
    const received = Buffer.from(await res.arrayBuffer());
    // The client asked for the usage chunk itself: nothing to take out, the stream passes byte for byte.
    expect(received.equals(lastExchange().response)).toBe(true);
    expect(received.toString()).toMatch(/^: OPENROUTER PROCESSING\n\n/);
    const [event] = await s.waitForEvents(1, { feature: 'openrouter-routed' });
    expect(event).toMatchObject({ provider: 'openrouter', model: 'anthropic/claude-3.5-sonnet', cost_nanos: 2000 * 3000 + 200 * 15_000 });
    // OpenRouter's own charge for the call ($3/M, cache reads at $0.30/M, $15/M out), kept beside LLMLab's price.
    expect(event.metadata).toMatchObject({ requested_model: 'openrouter/auto', provider_reported_cost_usd: (500 * 3 + 1500 * 0.3 + 200 * 15) / 1e6 });
  });

  it('records Ollama and vLLM calls unpriced (never $0) until the org sets a price', async () => {
    const own = await ownProject();
    for (const host of ['ollama', 'vllm'] as const) {
      await own.compatible(host, { headers: { 'x-llmlab-feature': 'self-hosted' } }).chat.completions.create({ model: host === 'ollama' ? 'llama3.2' : 'meta-llama/Llama-3.1-8B-Instruct', messages: MESSAGES });
    }
    const events = await own.waitForEvents(2, { feature: 'self-hosted' });
    expect(events.map((e) => [e.provider, e.model, e.input_tokens, e.output_tokens])).toEqual([
      ['vllm', 'meta-llama/Llama-3.1-8B-Instruct', 2000, 200],
      ['ollama', 'llama3.2', 2000, 200],
    ]);
    for (const e of events) expect(e).toMatchObject({ cost: null, cost_nanos: null, priced: false, usage_missing: false, status: 'success' });
    const summary = (await (await own.api('/api/costs/summary')).json()) as { calls: number; unpriced_calls: number; total_spend_nanos: number };
    expect(summary).toMatchObject({ calls: 2, unpriced_calls: 2, total_spend_nanos: 0 });

    // Another org prices its own Ollama model: $0.05/M input, $0.10/M output. Set before its first call, so it applies at once.
    const priced = await ownProject();
    const override = await priced.api('/api/prices/overrides', { body: { provider: 'ollama', model: 'llama3.2', input_mtok: 0.05, output_mtok: 0.1, effective_from: '2020-01-01' } });
    expect(override.status).toBe(201);
    await priced.compatible('ollama', { headers: { 'x-llmlab-feature': 'self-hosted' } }).chat.completions.create({ model: 'llama3.2', messages: MESSAGES });
    const [event] = await priced.waitForEvents(1, { feature: 'self-hosted' });
    expect(event).toMatchObject({ provider: 'ollama', model: 'llama3.2', cost_nanos: 2000 * 50 + 200 * 100, priced: true });
    expect(event.price_source).toMatch(/^override:/);
  });

  it('sends the stored key as the bearer token in place of an LLMLab key, per host', async () => {
    const own = await ownProject();
    for (const host of ['groq', 'xai'] as const) {
      const put = await own.api(`/api/gateway/provider-keys/${host}`, { method: 'PUT', body: { key: `${host}-stored-secret-2468` } });
      expect(put.status).toBe(200);
    }
    await own.compatible('groq', { apiKey: own.user.apiKey, headers: { 'x-llmlab-key': '', 'x-llmlab-feature': 'stored-hosts' } }).chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: MESSAGES });
    expect(lastExchange().headers.authorization).toBe('Bearer groq-stored-secret-2468');
    await own.compatible('xai', { apiKey: own.user.apiKey, headers: { 'x-llmlab-key': '', 'x-llmlab-feature': 'stored-hosts' } }).chat.completions.create({ model: 'grok-3-mini', messages: MESSAGES });
    expect(lastExchange().headers.authorization).toBe('Bearer xai-stored-secret-2468');
    // A host whose key is not stored says so.
    const err = await own.compatible('mistral', { apiKey: own.user.apiKey, headers: { 'x-llmlab-key': '' } }).chat.completions.create({ model: 'mistral-small-latest', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, message: expect.stringContaining('stores no mistral key') });
    const events = await own.waitForEvents(2, { feature: 'stored-hosts' });
    expect(events.map((e) => e.provider)).toEqual(['x-ai', 'groq']);
  });

  it('refuses a call past a hard budget with 429 in the OpenAI format, without calling the host', async () => {
    const own = await ownProject();
    // Up to 4,096 output tokens of grok-3-mini at $0.50/M is $0.002: past a $0.0001 budget.
    expect((await own.api('/api/budgets', { body: { name: 'Hosts cap', amount: 0.0001, period: 'monthly', hard_limit: true } })).status).toBe(201);
    const before = s.upstream.exchanges.length;
    const err = await own.compatible('xai').chat.completions.create({ model: 'grok-3-mini', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, type: 'insufficient_quota', code: 'budget_exceeded', message: expect.stringContaining('LLMLab hard budget "Hosts cap" (monthly, $0.0001) would be exceeded') });
    expect(s.upstream.exchanges.length).toBe(before);
  });

  it('records a refused Perplexity call at $0: no tokens, no request fee', async () => {
    const body = { error: { message: 'Rate limit exceeded', type: 'rate_limit_exceeded', code: 429 } };
    const client = s.compatible('perplexity', { headers: { 'x-llmlab-feature': 'perplexity-refused', 'x-fake-fail': JSON.stringify({ status: 429, body }) } });
    expect(await client.chat.completions.create({ model: 'sonar', messages: MESSAGES }).catch((e: unknown) => e)).toMatchObject({ status: 429 });
    const [event] = await s.waitForEvents(1, { feature: 'perplexity-refused' });
    expect(event).toMatchObject({ provider: 'perplexity', model: 'sonar', status: 'error', error_type: 'rate_limit_exceeded', cost_nanos: 0, priced: true, usage_missing: false });
  });

  it('aborts the host when the client hangs up before the usage came, and records the call unpriced', async () => {
    const before = s.upstream.exchanges.length;
    const stream = await s.compatible('mistral', { headers: { 'x-llmlab-feature': 'mistral-hangup', 'x-fake-event-delay-ms': '250' } }).chat.completions.create({ model: 'mistral-small-latest', messages: MESSAGES, stream: true });
    for await (const _ of stream) break;
    await until(() => s.upstream.exchanges[before]?.aborted === true);
    expect(s.upstream.exchanges[before].finished).toBe(false);
    const [event] = await s.waitForEvents(1, { feature: 'mistral-hangup' });
    expect(event).toMatchObject({ provider: 'mistral', status: 'error', error_type: 'client_closed', usage_missing: true, cost: null, priced: false });
  });
});
