import { describe, expect, it } from 'vitest';
import type { OtlpSpan } from './decode-traces.js';
import { spanToEvent } from './spans-to-events.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const span = (attributes: OtlpSpan['attributes'], extra: Partial<OtlpSpan> = {}): OtlpSpan => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'chat', startMs: NOW - 800, endMs: NOW, attributes, statusCode: 0, ...extra });

describe('spanToEvent', () => {
  it('maps GenAI attributes, cloud provider names and attribution', () => {
    const v = spanToEvent(span({ 'gen_ai.provider.name': 'aws.bedrock', 'gen_ai.request.model': 'anthropic.claude-3-haiku-20240307-v1:0', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20, 'llmlab.feature': 'search', 'user.id': 'u1', 'llmlab.tags': 'team=core', 'llmlab.tag.tier': 'pro' }), NOW);
    expect(v).toMatchObject({ kind: 'event', event: { event_id: `otlp:${'a'.repeat(32)}:${'b'.repeat(16)}`, provider: 'aws', input_tokens: 100, output_tokens: 20, latency_ms: 800, timestamp: NOW, feature: 'search', user_id: 'u1', tags: { team: 'core', tier: 'pro' }, status: 'success' } });
  });

  it('adds reasoning reported beside the output, and marks failed spans with their error type', () => {
    const v = spanToEvent(span({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'o3-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'gen_ai.usage.reasoning_tokens': 40, 'error.type': 'timeout' }, { statusCode: 2 }), NOW);
    expect(v).toMatchObject({ kind: 'event', event: { output_tokens: 45, reasoning_tokens: 40, status: 'error', error_type: 'timeout' } });
  });

  it('ignores spans that are not model calls, and rejects ones it cannot store', () => {
    expect(spanToEvent(span({ 'http.route': '/x' }), NOW)).toEqual({ kind: 'ignored' });
    expect(spanToEvent(span({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.usage.input_tokens': 5, 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o' }), NOW)).toEqual({ kind: 'ignored' });
    expect(spanToEvent(span({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o' }), NOW)).toEqual({ kind: 'ignored' });
    expect(spanToEvent(span({ 'gen_ai.system': 'openai', 'gen_ai.usage.input_tokens': 3 }), NOW)).toEqual({ kind: 'rejected', reason: `span ${'b'.repeat(16)}: gen_ai usage without gen_ai.request.model` });
  });
});
