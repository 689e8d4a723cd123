import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { createTestApp, type TestApp } from '../../test/helpers/test-app.js';
import type { OtlpSpan } from './decode-traces.js';
import { spanToCall } from './spans-to-events.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

function tierOf(attributes: OtlpSpan['attributes']) {
  const v = spanToCall({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: '', name: 'chat', scope: 'test', startMs: NOW - 500, endMs: NOW, statusCode: 0, attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'o3', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, ...attributes } }, NOW);
  if (v.kind !== 'call') throw new Error(JSON.stringify(v));
  return v.call.event.service_tier;
}

describe('the service tier of a span', () => {
  it('reads the tier that served the call before the one asked for, in OpenAI\'s words or LLMLab\'s', () => {
    expect(tierOf({ 'gen_ai.openai.request.service_tier': 'auto', 'gen_ai.openai.response.service_tier': 'flex' })).toBe('flex');
    expect(tierOf({ 'openai.response.service_tier': 'default' })).toBe('standard');
    expect(tierOf({ 'gen_ai.request.service_tier': 'priority' })).toBe('priority');
    expect(tierOf({ 'llmlab.service_tier': 'batch', 'gen_ai.openai.response.service_tier': 'default' })).toBe('batch');
    // A value LLMLab does not know is no tier: the call is standard, not refused.
    expect(tierOf({ 'gen_ai.openai.response.service_tier': 'turbo' })).toBeUndefined();
    expect(tierOf({})).toBeUndefined();
  });
});

type Attr = [string, string | number];

function exportBody(spans: { scope: string; traceId: string; spanId: string; parentSpanId?: string; attrs: Attr[] }[]) {
  const end = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'app' } }] },
        scopeSpans: spans.map((s) => ({
          scope: { name: s.scope },
          spans: [
            {
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: 'chat o3',
              startTimeUnixNano: String(end - 500_000_000n),
              endTimeUnixNano: String(end),
              attributes: s.attrs.map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } })),
            },
          ],
        })),
      },
    ],
  };
}

const o3 = (feature: string, extra: Attr[]): Attr[] => [
  ['gen_ai.system', 'openai'],
  ['gen_ai.operation.name', 'chat'],
  ['gen_ai.request.model', 'o3'],
  ['gen_ai.usage.input_tokens', 10_000],
  ['gen_ai.usage.output_tokens', 2_000],
  ['llmlab.feature', feature],
  ...extra,
];
// o3 on flex: 6,000 x $1 + 4,000 cached x $0.25 + 2,000 x $4; on standard without the cache count: 10,000 x $2 + 2,000 x $8.
const FLEX_COST = 15_000_000;
const STANDARD_FLAT_COST = 36_000_000;

describe.each(databases())('OTLP spans with a service tier on $name', ({ url }) => {
  let app: TestApp;
  let t: TestTenant;
  beforeAll(async () => {
    app = await createTestApp(url);
    t = await newTenant(app);
  });
  afterAll(() => app?.close());

  const send = async (body: unknown) => expect((await app.request('/v1/traces', { body, headers: { 'x-llmlab-key': t.apiKey } })).status).toBe(200);
  const events = async (feature: string) =>
    (await json<{ events: { service_tier: string | null; cost_nanos: number }[] }>(app.request(`/api/events?feature=${feature}`, { token: t.apiKey }))).events.map((e) => [e.service_tier, e.cost_nanos]);

  it('stores and prices the tier an instrumentation reports', async () => {
    await send(exportBody([{ scope: '@opentelemetry/instrumentation-openai', traceId: 'd1'.repeat(16), spanId: '1'.repeat(16), attrs: o3('otlp-flex', [['gen_ai.usage.cache_read.input_tokens', 4_000], ['gen_ai.openai.response.service_tier', 'flex']]) }]));
    expect(await events('otlp-flex')).toEqual([['flex', FLEX_COST]]);
  });

  it('takes the tier of a more complete span of the same call sent later, and moves the rollups to it', async () => {
    const trace = 'd2'.repeat(16);
    const [outer, inner] = ['2'.repeat(16), '3'.repeat(16)];
    await send(exportBody([{ scope: 'lib-a', traceId: trace, spanId: inner, parentSpanId: outer, attrs: o3('otlp-later', []) }]));
    expect(await events('otlp-later')).toEqual([[null, STANDARD_FLAT_COST]]);
    await send(exportBody([{ scope: '@opentelemetry/instrumentation-openai', traceId: trace, spanId: outer, attrs: o3('otlp-later', [['gen_ai.usage.cache_read.input_tokens', 4_000], ['gen_ai.openai.response.service_tier', 'flex']]) }]));
    expect(await events('otlp-later')).toEqual([['flex', FLEX_COST]]);
    const summary = await json<{ by_service_tier: Record<string, { spend_nanos: number; calls: number }> }>(app.request('/api/costs/summary?days=1', { token: t.apiKey }));
    expect(summary.by_service_tier).toEqual({ flex: { spend: 0.03, spend_nanos: 2 * FLEX_COST, calls: 2 } });
    expect(await json(app.request('/api/admin/rollup-check', { token: t.token }))).toMatchObject({ consistent: true, events_counted: 2 });
  });
});
