import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '../helpers/server-process.js';
import type { StoredEvent } from '../helpers/stored-event.js';
import { type GatewayUpstream, startGatewayUpstream } from './gateway-upstream.js';
import type { AppConfig, Scenario } from './otlp-apps/instrumented-app.js';

const here = dirname(fileURLToPath(import.meta.url));
const APP = resolve(here, 'otlp-apps/instrumented-app.ts');

// Bundled catalog prices, per million tokens. gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output.
// claude-3-haiku: $0.25 input, $0.03 cache read, $0.30 cache write, $1.25 output.
// The fake's default chat usage: 1,200 prompt tokens of which 1,024 cached, 300 completion tokens (64 reasoning).
const CHAT_COST_NANOS = 176 * 150 + 1024 * 75 + 300 * 600;
// The same call without a cache: for instrumentations that report no cached tokens.
const NO_CACHE = { chat: { cached_tokens: 0, reasoning_tokens: 0 } };
const UNCACHED_CHAT_COST_NANOS = 1200 * 150 + 300 * 600;
// The fake's Anthropic usage: 20 input tokens outside the cache, 2,000 cache reads, 500 cache writes, 400 output.
const MESSAGE_COST_NANOS = 20 * 250 + 2000 * 30 + 500 * 300 + 400 * 1250;

interface Summary {
  total_spend: number;
  calls: number;
  unpriced_calls: number;
}

describe('OTLP from the instrumentations people run: each call once, at its exact cost', () => {
  let server: ServerProcess;
  let upstream: GatewayUpstream;
  beforeAll(async () => {
    [server, upstream] = await Promise.all([startServerProcess(), startGatewayUpstream()]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), upstream?.close()]);
  });

  /** Runs the instrumented app to its end (its spans exported) for a new project; answers the project's events and summary. */
  async function runApp(scenario: Scenario, options: { processor?: 'batch' | 'simple'; fakeUsage?: unknown } = {}) {
    const user: SignedUpUser = await signupUser(server.baseUrl);
    const config: AppConfig = { scenario, llmlabUrl: server.baseUrl, llmlabKey: user.apiKey, upstreamUrl: upstream.url, feature: `otlp-${scenario}`, processor: options.processor ?? 'batch', fakeUsage: options.fakeUsage };
    const child = spawn(process.execPath, ['--import', 'tsx', APP, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code, `${stdout}${stderr}`).toBe(0);
    /** What the app's exporter sent LLMLab, as scope/name, sorted. */
    const exported = ((JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { exported: string[] }).exported ?? []).sort();
    const headers = { authorization: `Bearer ${user.apiKey}` };
    const events = ((await (await fetch(`${server.baseUrl}/api/events?limit=100`, { headers })).json()) as { events: StoredEvent[] }).events;
    const summary = (await (await fetch(`${server.baseUrl}/api/costs/summary?days=1`, { headers })).json()) as Summary;
    return { events: events.sort((a, b) => a.ts - b.ts), summary, exported };
  }

  it('the official OpenTelemetry OpenAI instrumentation: a call and a stream, once each', async () => {
    const { events, summary, exported } = await runApp('otel-openai', { fakeUsage: NO_CACHE });
    expect(exported).toEqual(['@opentelemetry/instrumentation-openai/chat gpt-4o-mini', '@opentelemetry/instrumentation-openai/chat gpt-4o-mini']);
    expect(events.map((e) => [e.provider, e.model, e.input_tokens, e.output_tokens, e.cost_nanos, e.metadata?.scope])).toEqual([
      ['openai', 'gpt-4o-mini-2024-07-18', 1200, 300, UNCACHED_CHAT_COST_NANOS, '@opentelemetry/instrumentation-openai'],
      ['openai', 'gpt-4o-mini-2024-07-18', 1200, 300, UNCACHED_CHAT_COST_NANOS, '@opentelemetry/instrumentation-openai'],
    ]);
    expect(summary).toMatchObject({ calls: 2, unpriced_calls: 0, total_spend: (2 * UNCACHED_CHAT_COST_NANOS) / 1e9 });
  });

  it("OpenLLMetry's OpenAI instrumentation: its stream span has no usage, so that call is unpriced, not $0", async () => {
    const { events, summary, exported } = await runApp('openllmetry-openai', { fakeUsage: NO_CACHE });
    expect(exported).toEqual(['@traceloop/instrumentation-openai/chat gpt-4o-mini', '@traceloop/instrumentation-openai/chat gpt-4o-mini']);
    expect(events.map((e) => [e.model, e.input_tokens, e.output_tokens, e.cost_nanos, e.usage_missing])).toEqual([
      ['gpt-4o-mini-2024-07-18', 1200, 300, UNCACHED_CHAT_COST_NANOS, false],
      ['gpt-4o-mini-2024-07-18', 0, 0, null, true],
    ]);
    expect(summary).toMatchObject({ calls: 2, unpriced_calls: 1, total_spend: UNCACHED_CHAT_COST_NANOS / 1e9 });
  });

  for (const processor of ['batch', 'simple'] as const) {
    it(`OpenLLMetry's Anthropic instrumentation over the Anthropic SDK's own tracing (${processor} export): one event per call, cache writes priced as writes`, async () => {
      const { events, summary, exported } = await runApp('openllmetry-anthropic', { processor });
      // Three calls (one alone, two in an agent turn), each described by two nested spans: six spans, three events.
      expect(exported).toEqual([
        ...Array(3).fill('@traceloop/instrumentation-anthropic/chat claude-3-haiku-20240307'),
        ...Array(3).fill('com.anthropic.sdk.typescript/anthropic.messages.create'),
        'my-agent/agent turn',
      ]);
      expect(events.map((e) => [e.model, e.input_tokens, e.cached_input_tokens, e.cache_write_tokens, e.output_tokens, e.cost_nanos])).toEqual([
        ['claude-3-haiku-20240307', 2520, 2000, 500, 400, MESSAGE_COST_NANOS],
        ['claude-3-haiku-20240307', 2520, 2000, 500, 400, MESSAGE_COST_NANOS],
        ['claude-3-haiku-20240307', 2520, 2000, 500, 400, MESSAGE_COST_NANOS],
      ]);
      // Both report four counts; the SDK's span, the inner one, prices the call.
      expect(events.map((e) => e.metadata?.scope)).toEqual(Array(3).fill('com.anthropic.sdk.typescript'));
      expect(summary).toMatchObject({ calls: 3, unpriced_calls: 0, total_spend: (3 * MESSAGE_COST_NANOS) / 1e9 });
    });
  }

  it("the Vercel AI SDK's telemetry: generateText and streamText, cached and reasoning tokens priced at their rates", async () => {
    const { events, summary, exported } = await runApp('vercel-ai');
    expect(exported).toEqual(['ai/ai.generateText', 'ai/ai.generateText.doGenerate', 'ai/ai.streamText', 'ai/ai.streamText.doStream']);
    expect(events.map((e) => [e.provider, e.input_tokens, e.cached_input_tokens, e.output_tokens, e.reasoning_tokens, e.cost_nanos, e.metadata?.span_name])).toEqual([
      ['openai', 1200, 1024, 300, 64, CHAT_COST_NANOS, 'ai.generateText.doGenerate'],
      ['openai', 1200, 1024, 300, 64, CHAT_COST_NANOS, 'ai.streamText.doStream'],
    ]);
    expect(summary).toMatchObject({ calls: 2, unpriced_calls: 0, total_spend: (2 * CHAT_COST_NANOS) / 1e9 });
  });
});
