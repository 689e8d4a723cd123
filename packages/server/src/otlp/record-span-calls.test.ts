import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { createTestApp, type TestApp } from '../../test/helpers/test-app.js';

// claude-3-haiku: $0.25 input, $0.03 cache read, $0.30 cache write, $1.25 output per million tokens.
const CACHED_COST = 20 * 250 + 2000 * 30 + 500 * 300 + 400 * 1250;
// The same call priced as if its 2,520 input tokens were all fresh: what a span without cache counts gives.
const FLAT_COST = 2520 * 250 + 400 * 1250;

type Attr = [string, string | number];
let next = 0;
const spanId = () => (++next).toString(16).padStart(16, '0');

/** An OTLP/JSON export of spans, each `[scope, span]`. */
function exportBody(spans: { scope: string; traceId: string; spanId: string; parentSpanId?: string; name: string; attrs: Attr[] }[]) {
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
              name: s.name,
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

const claude = (usage: Attr[], responseId?: string): Attr[] => [
  ['gen_ai.provider.name', 'anthropic'],
  ['gen_ai.operation.name', 'chat'],
  ['gen_ai.request.model', 'claude-3-haiku-20240307'],
  ...(responseId ? [['gen_ai.response.id', responseId] as Attr] : []),
  ...usage,
];
// A wrapper that reports only the totals, and the SDK span inside it with the cache details.
const TOTALS: Attr[] = [['gen_ai.usage.input_tokens', 2520], ['gen_ai.usage.output_tokens', 400]];
const DETAILED: Attr[] = [...TOTALS, ['gen_ai.usage.cache_read.input_tokens', 2000], ['gen_ai.usage.cache_write.input_tokens', 500]];

describe.each(databases())('OTLP calls across export requests on $name', ({ url }) => {
  let app: TestApp;
  let t: TestTenant;
  beforeAll(async () => {
    app = await createTestApp(url);
    t = await newTenant(app);
  });
  afterAll(() => app?.close());

  const send = async (body: unknown) => {
    const res = await app.request('/v1/traces', { body, headers: { 'x-llmlab-key': t.apiKey } });
    expect(res.status).toBe(200);
  };
  const state = async (feature: string) => {
    const events = (await json<{ events: { cost_nanos: number | null; input_tokens: number; cached_input_tokens: number; cache_write_tokens: number }[] }>(app.request(`/api/events?feature=${feature}`, { token: t.apiKey }))).events;
    const breakdown = await json<{ rows: { key: string; spend_nanos: number; calls: number }[] }>(app.request('/api/costs/breakdown?group_by=feature', { token: t.apiKey }));
    return { events, rollup: breakdown.rows.find((r) => r.key === feature) };
  };

  it('a parent span sent after its child joins the child event; a more complete later span reprices it and moves the rollups', async () => {
    const trace = 'c1'.repeat(16);
    const feature: Attr = ['llmlab.feature', 'later-detail'];
    const [outer, inner] = [spanId(), spanId()];
    // The inner span reports totals only and arrives first: priced as fresh input.
    await send(exportBody([{ scope: 'lib-a', traceId: trace, spanId: inner, parentSpanId: outer, name: 'chat', attrs: [...claude(TOTALS), feature] }]));
    expect((await state('later-detail')).events.map((e) => e.cost_nanos)).toEqual([FLAT_COST]);
    // Its parent, from an SDK that reports the cache details, arrives next: one event, now priced with the cache.
    await send(exportBody([{ scope: 'com.anthropic.sdk.typescript', traceId: trace, spanId: outer, name: 'anthropic.messages.create', attrs: [...claude(DETAILED), feature] }]));
    const after = await state('later-detail');
    expect(after.events.map((e) => [e.input_tokens, e.cached_input_tokens, e.cache_write_tokens, e.cost_nanos])).toEqual([[2520, 2000, 500, CACHED_COST]]);
    expect(after.rollup).toMatchObject({ calls: 1, spend_nanos: CACHED_COST });
    // An exporter's retry of either export changes nothing.
    await send(exportBody([{ scope: 'lib-a', traceId: trace, spanId: inner, parentSpanId: outer, name: 'chat', attrs: [...claude(TOTALS), feature] }]));
    await send(exportBody([{ scope: 'com.anthropic.sdk.typescript', traceId: trace, spanId: outer, name: 'anthropic.messages.create', attrs: [...claude(DETAILED), feature] }]));
    expect(await state('later-detail')).toEqual(after);
  });

  it('sibling spans with one response id, sent apart, are one call; a less complete one changes nothing', async () => {
    const trace = 'c2'.repeat(16);
    const feature: Attr = ['llmlab.feature', 'same-response'];
    await send(exportBody([{ scope: 'com.anthropic.sdk.typescript', traceId: trace, spanId: spanId(), parentSpanId: 'ab'.repeat(8), name: 'anthropic.messages.create', attrs: [...claude(DETAILED, 'msg_01'), feature] }]));
    await send(exportBody([{ scope: 'lib-b', traceId: trace, spanId: spanId(), parentSpanId: 'ab'.repeat(8), name: 'chat', attrs: [...claude(TOTALS, 'msg_01'), feature] }]));
    const s = await state('same-response');
    expect(s.events.map((e) => e.cost_nanos)).toEqual([CACHED_COST]);
    expect(s.rollup).toMatchObject({ calls: 1, spend_nanos: CACHED_COST });
  });

  it('two calls under a wrapper span of their model, sent before it, stay two; the wrapper counts for none', async () => {
    const trace = 'c3'.repeat(16);
    const feature: Attr = ['llmlab.feature', 'agent-loop'];
    const wrapper = spanId();
    await send(exportBody([{ scope: 'x', traceId: trace, spanId: spanId(), parentSpanId: wrapper, name: 'chat', attrs: [...claude(DETAILED, 'msg_a'), feature] }]));
    await send(exportBody([{ scope: 'x', traceId: trace, spanId: spanId(), parentSpanId: wrapper, name: 'chat', attrs: [...claude(DETAILED, 'msg_b'), feature] }]));
    await send(exportBody([{ scope: 'x', traceId: trace, spanId: wrapper, name: 'agent', attrs: [...claude([['gen_ai.usage.input_tokens', 5040], ['gen_ai.usage.output_tokens', 800]]), feature] }]));
    const s = await state('agent-loop');
    expect(s.events.map((e) => e.cost_nanos)).toEqual([CACHED_COST, CACHED_COST]);
    expect(s.rollup).toMatchObject({ calls: 2, spend_nanos: 2 * CACHED_COST });
  });

  it("one project's spans never join another's events", async () => {
    const other = await newTenant(app);
    const trace = 'c4'.repeat(16);
    const child = spanId();
    const parent = spanId();
    await send(exportBody([{ scope: 'x', traceId: trace, spanId: child, parentSpanId: parent, name: 'chat', attrs: [...claude(TOTALS), ['llmlab.feature', 'tenant-a']] }]));
    const res = await app.request('/v1/traces', { body: exportBody([{ scope: 'com.anthropic.sdk.typescript', traceId: trace, spanId: parent, name: 'anthropic.messages.create', attrs: [...claude(DETAILED), ['llmlab.feature', 'tenant-b']] }]), headers: { 'x-llmlab-key': other.apiKey } });
    expect(res.status).toBe(200);
    expect((await state('tenant-a')).events.map((e) => e.cost_nanos)).toEqual([FLAT_COST]);
    const theirs = await json<{ events: { cost_nanos: number }[] }>(app.request('/api/events?feature=tenant-b', { token: other.apiKey }));
    expect(theirs.events.map((e) => e.cost_nanos)).toEqual([CACHED_COST]);
  });
});
