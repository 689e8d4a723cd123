/**
 * An application as users run one: the providers' official SDKs, unchanged, traced by the
 * OpenTelemetry instrumentations people install, exporting OTLP/protobuf to LLMLab. It makes
 * its calls against the fake upstream and flushes its spans before it exits.
 *
 * Run: node --import tsx instrumented-app.ts '<json AppConfig>'
 */
import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';

export type Scenario = 'otel-openai' | 'openllmetry-openai' | 'openllmetry-anthropic' | 'vercel-ai';

export interface AppConfig {
  scenario: Scenario;
  llmlabUrl: string;
  llmlabKey: string;
  upstreamUrl: string;
  feature: string;
  /** `simple` exports each span as it ends (a child before its parent, in two requests). */
  processor: 'batch' | 'simple';
  /** Sent as x-fake-usage to the fake upstream. */
  fakeUsage?: unknown;
}

const config = JSON.parse(process.argv[2] ?? '{}') as AppConfig;
// The SDKs are loaded with require, after the instrumentations are registered, as in a CommonJS app.
const require = createRequire(import.meta.url);

const otlp = new OTLPTraceExporter({ url: `${config.llmlabUrl}/v1/traces`, headers: { 'x-llmlab-key': config.llmlabKey } });
/** Every span sent, as `scope/name`, printed at the end so the test knows what LLMLab received. */
const exported: string[] = [];
const exporter: SpanExporter = {
  export(spans, done) {
    for (const s of spans) exported.push(`${s.instrumentationScope.name}/${s.name}`);
    otlp.export(spans, done);
  },
  shutdown: () => otlp.shutdown(),
  forceFlush: () => otlp.forceFlush(),
};
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': `otlp-app-${config.scenario}`, 'llmlab.feature': config.feature }),
  spanProcessors: [config.processor === 'simple' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
});
provider.register();

const fakeHeaders: Record<string, string> = config.fakeUsage ? { 'x-fake-usage': JSON.stringify(config.fakeUsage) } : {};

async function instrument(instrumentations: Instrumentation[]) {
  registerInstrumentations({ instrumentations, tracerProvider: provider });
}

async function openaiCalls() {
  const { default: OpenAI } = require('openai') as typeof import('openai');
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${config.upstreamUrl}/v1`, defaultHeaders: fakeHeaders, maxRetries: 0 });
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Stream' }], stream: true, stream_options: { include_usage: true } });
  for await (const _ of stream);
}

async function run() {
  switch (config.scenario) {
    case 'otel-openai': {
      const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
      await instrument([new OpenAIInstrumentation()]);
      await openaiCalls();
      break;
    }
    case 'openllmetry-openai': {
      const { OpenAIInstrumentation } = await import('@traceloop/instrumentation-openai');
      await instrument([new OpenAIInstrumentation()]);
      const { default: OpenAI } = require('openai') as typeof import('openai');
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${config.upstreamUrl}/v1`, defaultHeaders: fakeHeaders, maxRetries: 0 });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
      // OpenLLMetry's stream span carries no usage, even when the stream's last chunk has it.
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Stream' }], stream: true, stream_options: { include_usage: true } });
      for await (const _ of stream);
      break;
    }
    case 'openllmetry-anthropic': {
      // OpenLLMetry 0.27 patches `Anthropic.Completions`, which the 1.x SDK no longer has (requiring
      // it there throws), so this app runs the last 0.x SDK, which already traces itself once a
      // tracer provider is registered. It is installed under an alias, so the instrumentation is
      // applied the documented manual way rather than by its require hook.
      const { AnthropicInstrumentation } = await import('@traceloop/instrumentation-anthropic');
      const sdk = require('anthropic-sdk-0') as typeof import('anthropic-sdk-0');
      const instrumentation = new AnthropicInstrumentation();
      // Typed against the 1.x SDK that the repository also installs; the 0.x module is what it patches.
      instrumentation.manuallyInstrument(sdk as unknown as Parameters<typeof instrumentation.manuallyInstrument>[0]);
      const client = new sdk.default({ apiKey: 'sk-ant-test', baseURL: config.upstreamUrl, defaultHeaders: fakeHeaders, maxRetries: 0 });
      await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 500, messages: [{ role: 'user', content: 'Hello' }] });
      // An agent loop: two calls of the same model in one trace, each counted.
      const tracer = provider.getTracer('my-agent');
      await tracer.startActiveSpan('agent turn', async (turn) => {
        await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 500, messages: [{ role: 'user', content: 'Step 1' }] });
        await client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 500, messages: [{ role: 'user', content: 'Step 2' }] });
        turn.end();
      });
      break;
    }
    case 'vercel-ai': {
      const { generateText, streamText } = await import('ai');
      const { createOpenAI } = await import('@ai-sdk/openai');
      const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${config.upstreamUrl}/v1`, headers: fakeHeaders });
      await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'Hello', experimental_telemetry: { isEnabled: true } });
      const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Stream', experimental_telemetry: { isEnabled: true } });
      for await (const _ of result.textStream);
      break;
    }
  }
}

await run();
await provider.shutdown();
process.stdout.write(`${JSON.stringify({ exported })}\n`);
