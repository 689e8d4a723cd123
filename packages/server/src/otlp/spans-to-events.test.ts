import { describe, expect, it } from 'vitest';
import { collapseCalls } from './collapse-calls.js';
import type { OtlpSpan } from './decode-traces.js';
import { type SpanCall, spanToCall } from './spans-to-events.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const TRACE = 'a'.repeat(32);
const span = (attributes: OtlpSpan['attributes'], extra: Partial<OtlpSpan> = {}): OtlpSpan => ({
  traceId: TRACE,
  spanId: 'b'.repeat(16),
  parentSpanId: '',
  name: 'chat',
  scope: 'test',
  startMs: NOW - 800,
  endMs: NOW,
  attributes,
  statusCode: 0,
  ...extra,
});

function call(s: OtlpSpan): SpanCall {
  const v = spanToCall(s, NOW);
  if (v.kind !== 'call') throw new Error(`expected a call, got ${JSON.stringify(v)}`);
  return v.call;
}

describe('spanToCall', () => {
  it('maps GenAI attributes, cloud provider names and attribution', () => {
    const v = spanToCall(span({ 'gen_ai.provider.name': 'aws.bedrock', 'gen_ai.request.model': 'anthropic.claude-3-haiku-20240307-v1:0', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20, 'llmlab.feature': 'search', 'user.id': 'u1', 'llmlab.tags': 'team=core', 'llmlab.tag.tier': 'pro' }), NOW);
    expect(v).toMatchObject({ kind: 'call', call: { reported: 2, event: { event_id: `otlp:${TRACE}:${'b'.repeat(16)}`, provider: 'aws', input_tokens: 100, output_tokens: 20, latency_ms: 800, timestamp: NOW, feature: 'search', user_id: 'u1', tags: { team: 'core', tier: 'pro' }, status: 'success' } } });
  });

  it("reads the Vercel AI SDK's provider ids (openai.chat) as the provider", () => {
    expect(call(span({ 'gen_ai.system': 'openai.chat', 'ai.operationId': 'ai.generateText.doGenerate', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 3, 'gen_ai.usage.output_tokens': 1 })).provider).toBe('openai');
  });

  it('keeps reasoning reported beside the output, says so, and marks failed spans with their error type', () => {
    const c = call(span({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'o3-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'gen_ai.usage.reasoning_tokens': 40, 'error.type': 'timeout' }, { statusCode: 2 }));
    expect(c.event).toMatchObject({ output_tokens: 45, reasoning_tokens: 40, status: 'error', error_type: 'timeout', metadata: { usage_corrected: 'reasoning tokens (40) exceeded output tokens (5) and were added to them' } });
  });

  it('stores a model call without usage as usage_missing, and a failed one without usage as an error', () => {
    const stream = call(span({ 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' }, { scope: '@traceloop/instrumentation-openai' }));
    expect(stream.reported).toBe(-1);
    expect(stream.event).toMatchObject({ input_tokens: 0, output_tokens: 0, usage_missing: true, status: 'success' });
    const failed = call(span({ 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'error.type': '429' }, { statusCode: 2 }));
    expect(failed.event.usage_missing).toBeUndefined();
    expect(failed.event).toMatchObject({ status: 'error', error_type: '429' });
  });

  it('ignores spans that are not model calls, and rejects ones it cannot store', () => {
    expect(spanToCall(span({ 'http.route': '/x' }), NOW)).toEqual({ kind: 'ignored' });
    expect(spanToCall(span({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.usage.input_tokens': 5, 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o' }), NOW)).toEqual({ kind: 'ignored' });
    // The Anthropic SDK's token count span: a model is named, no operation, no usage.
    expect(spanToCall(span({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5' }, { name: 'anthropic.messages.count_tokens' }), NOW)).toEqual({ kind: 'ignored' });
    // The Vercel AI SDK's outer span sums its steps: only the doGenerate spans are calls.
    expect(spanToCall(span({ 'ai.operationId': 'ai.generateText', 'gen_ai.system': 'openai.chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 9 }), NOW)).toEqual({ kind: 'ignored' });
    expect(spanToCall(span({ 'gen_ai.system': 'openai', 'gen_ai.usage.input_tokens': 3 }), NOW)).toEqual({ kind: 'rejected', reason: `span ${'b'.repeat(16)}: gen_ai call without gen_ai.request.model` });
  });
});

describe('collapseCalls', () => {
  const anthropic = (spanId: string, parentSpanId: string, scope: string, usage: Record<string, number>, responseId = 'msg_1') =>
    call(span({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-3-haiku-20240307', 'gen_ai.response.id': responseId, ...usage }, { spanId, parentSpanId, scope }));
  const sdkUsage = { 'gen_ai.usage.input_tokens': 2520, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_write.input_tokens': 500, 'gen_ai.usage.output_tokens': 400 };
  const openllmetryUsage = { 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_creation.input_tokens': 500, 'gen_ai.usage.output_tokens': 400 };

  it('makes one call of an instrumentation span and the SDK span nested in it', () => {
    const outer = anthropic('o1', '', '@traceloop/instrumentation-anthropic', openllmetryUsage);
    const inner = anthropic('i1', 'o1', 'com.anthropic.sdk.typescript', { ...sdkUsage, 'gen_ai.usage.reasoning.output_tokens': 0 });
    const groups = collapseCalls([outer, inner]);
    expect(groups).toHaveLength(1);
    expect(groups[0].best.spanId).toBe('i1');
    expect(groups[0].best.event).toMatchObject({ input_tokens: 2520, cached_input_tokens: 2000, cache_write_tokens: 500, output_tokens: 400 });
  });

  it('on equal completeness prices from the innermost span', () => {
    const groups = collapseCalls([anthropic('o1', '', '@traceloop/instrumentation-anthropic', openllmetryUsage), anthropic('i1', 'o1', 'com.anthropic.sdk.typescript', sdkUsage)]);
    expect(groups.map((g) => g.best.spanId)).toEqual(['i1']);
  });

  it('joins sibling spans with one response id, and keeps the calls of an agent loop apart', () => {
    const a = anthropic('s1', 'root', 'x', sdkUsage, 'msg_1');
    const b = anthropic('s2', 'root', 'y', openllmetryUsage, 'msg_1');
    const c = anthropic('s3', 'root', 'x', sdkUsage, 'msg_2');
    expect(collapseCalls([a, b, c]).map((g) => g.spans.map((s) => s.spanId).sort())).toEqual([['s1', 's2'], ['s3']]);
  });

  it('does not count a span that wraps several calls of its model', () => {
    const wrapper = anthropic('w', '', 'x', { 'gen_ai.usage.input_tokens': 5040, 'gen_ai.usage.output_tokens': 800 }, 'msg_w');
    const groups = collapseCalls([wrapper, anthropic('c1', 'w', 'x', sdkUsage, 'msg_1'), anthropic('c2', 'w', 'x', sdkUsage, 'msg_2')]);
    expect(groups.map((g) => g.best.spanId).sort()).toEqual(['c1', 'c2']);
  });
});
