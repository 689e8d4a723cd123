import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '../helpers/server-process.js';
import type { StoredEvent } from './gateway-stack.js';

/** Spans made by the real OpenTelemetry SDK, as an instrumented app would produce them. */
function makeSpans(feature: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'chat-api', 'deployment.environment.name': 'prod' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('otlp-test');
  // OpenTelemetry GenAI conventions: OpenAI chat with cached input and reasoning.
  tracer
    .startSpan('chat gpt-4o-mini', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.cache_read.input_tokens': 1024,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.usage.reasoning.output_tokens': 64,
        'llmlab.feature': feature,
        'enduser.id': 'customer-7',
        'llmlab.tag.team': 'search',
        'gen_ai.conversation.id': `conversation-${feature}`,
      },
    })
    .end();
  // OpenLLMetry's spelling for Anthropic: gen_ai.system, prompt/completion tokens, cache tokens beside the input.
  tracer
    .startSpan('anthropic.chat', {
      attributes: {
        'gen_ai.system': 'Anthropic',
        'gen_ai.request.model': 'claude-3-haiku-20240307',
        'gen_ai.usage.prompt_tokens': 20,
        'gen_ai.usage.cache_read_input_tokens': 2000,
        'gen_ai.usage.cache_creation_input_tokens': 500,
        'gen_ai.usage.completion_tokens': 400,
        'llmlab.feature': feature,
      },
    })
    .end();
  // Not model calls: an HTTP span and an agent's tool call.
  tracer.startSpan('GET /health', { attributes: { 'http.request.method': 'GET' } }).end();
  tracer.startSpan('execute_tool search', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } }).end();
  return memory.getFinishedSpans();
}

function send(exporter: SpanExporter, spans: ReadableSpan[]): Promise<number> {
  return new Promise((resolve) => exporter.export(spans, (result) => resolve(result.code)));
}

describe('OTLP/HTTP trace ingest from the OpenTelemetry JS exporters', () => {
  let server: ServerProcess;
  let user: SignedUpUser;
  let keyId: string;
  beforeAll(async () => {
    server = await startServerProcess();
    user = await signupUser(server.baseUrl);
    const res = await fetch(`${server.baseUrl}/api/keys`, { headers: { authorization: `Bearer ${user.token}` } });
    [{ id: keyId }] = ((await res.json()) as { keys: { id: string }[] }).keys;
  });
  afterAll(() => server?.stop());

  const events = async (feature: string) => {
    const res = await fetch(`${server.baseUrl}/api/events?feature=${feature}`, { headers: { authorization: `Bearer ${user.apiKey}` } });
    return ((await res.json()) as { events: StoredEvent[] }).events;
  };

  for (const [name, Exporter] of [['JSON', JsonExporter], ['protobuf', ProtoExporter]] as const) {
    it(`records the GenAI spans of the ${name} exporter once, priced, and ignores the others`, async () => {
      const feature = `otlp-${name}`;
      const spans = makeSpans(feature);
      const exporter = new Exporter({ url: `${server.baseUrl}/v1/traces`, headers: { 'x-llmlab-key': user.apiKey } });
      expect(await send(exporter, spans)).toBe(0);
      // A retried export stores nothing new: event ids come from trace and span ids.
      expect(await send(exporter, spans)).toBe(0);
      await exporter.shutdown();
      const stored = await events(feature);
      expect(stored).toHaveLength(2);
      const openai = stored.find((e) => e.provider === 'openai');
      const anthropic = stored.find((e) => e.provider === 'anthropic');
      const chat = spans[0];
      expect(openai).toMatchObject({
        event_id: `otlp:${chat.spanContext().traceId}:${chat.spanContext().spanId}`,
        model: 'gpt-4o-mini-2024-07-18',
        input_tokens: 1200,
        cached_input_tokens: 1024,
        output_tokens: 300,
        reasoning_tokens: 64,
        cost_nanos: 176 * 150 + 1024 * 75 + 300 * 600,
        source: 'otlp',
        api_key_id: keyId,
        status: 'success',
        user_id: 'customer-7',
        environment: 'prod',
        tags: { team: 'search' },
        session_id: `conversation-${feature}`,
      });
      expect(openai?.metadata).toMatchObject({ service_name: 'chat-api', operation: 'chat', span_name: 'chat gpt-4o-mini' });
      expect(anthropic).toMatchObject({ model: 'claude-3-haiku-20240307', input_tokens: 2520, cached_input_tokens: 2000, cache_write_tokens: 500, output_tokens: 400, cost_nanos: 20 * 250 + 2000 * 30 + 500 * 300 + 400 * 1250 });
      // A span without gen_ai.conversation.id is in the session of its trace.
      expect(anthropic?.session_id).toBe(spans[1].spanContext().traceId);
      const session = await fetch(`${server.baseUrl}/api/sessions/conversation-${feature}`, { headers: { authorization: `Bearer ${user.apiKey}` } });
      expect(await session.json()).toMatchObject({ calls: 1, cost_nanos: openai?.cost_nanos, events: [{ event_id: openai?.event_id }] });
    });
  }

  it('answers OTLP status bodies for a bad key, a bad body and a span it cannot price', async () => {
    const post = (body: string, headers: Record<string, string>) => fetch(`${server.baseUrl}/v1/traces`, { method: 'POST', headers, body });
    const noKey = await post('{}', { 'content-type': 'application/json' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual({ code: 16, message: 'send the LLMLab project key in x-llmlab-key or Authorization: Bearer' });
    const wrong = await post('{}', { 'content-type': 'application/json', authorization: 'Bearer llmlab_nope' });
    expect(await wrong.json()).toMatchObject({ code: 16, message: 'invalid or revoked API key' });
    const garbage = await post('{"resourceSpans":', { 'content-type': 'application/json', 'x-llmlab-key': user.apiKey });
    expect(garbage.status).toBe(400);
    const unknown = {
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'chat', startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n), attributes: [{ key: 'gen_ai.system', value: { stringValue: 'acme-llm' } }, { key: 'gen_ai.request.model', value: { stringValue: 'acme-1' } }, { key: 'gen_ai.usage.input_tokens', value: { intValue: '5' } }] }] }] }],
    };
    const partial = await post(JSON.stringify(unknown), { 'content-type': 'application/json', 'x-llmlab-key': user.apiKey });
    expect(partial.status).toBe(200);
    expect(await partial.json()).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: 'span b7ad6b7169203331: unknown provider "acme-llm"' } });
  });
});
