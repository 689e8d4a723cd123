import { describe, expect, it } from 'vitest';
import { newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';
import type { TenantContext } from '../context.js';
import { compareExperiment } from './compare-experiment.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MINUTE = 60_000;
const RANGE = `from=${new Date(NOW - 86_400_000).toISOString()}&to=${new Date(NOW).toISOString()}`;
/** gpt-4 input tokens cost $30 a million: 30,000 nanodollars each. */
const GPT4_INPUT_NANOS = 30_000;

interface Arm {
  value: string;
  calls: number;
  priced_calls: number;
  unpriced_calls: number;
  errors: number;
  cost: number;
  cost_nanos: number;
  cost_per_call: { mean: number | null; ci95_low: number | null; ci95_high: number | null };
  tokens_per_call: number | null;
  latency_ms: { p50: number | null; p95: number | null };
  error_rate: number | null;
  events_read_since: string | null;
}
interface Comparison {
  dimension: string;
  a: Arm;
  b: Arm;
  difference: { mean: number | null; ci95_low: number | null; ci95_high: number | null; relative: number | null };
  verdict: string;
  reason: string;
  method: string;
  raw_events_since: string | null;
}

/** USD to the nanodollar, as the answer rounds a per-call amount. */
const usd = (nanos: number) => Math.round(nanos) / 1e9;

describe.each(databases())('experiments compare on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);
  const as = (t: TestTenant): TenantContext => ({ ...app.ctx, actor: { kind: 'api_key', orgId: t.orgId, projectId: t.projectId, scopes: new Set(['read']) } });

  /**
   * Variant A: six gpt-4 calls of 1,000 to 3,000 input tokens ($0.03, 0.03, 0.06, 0.06, 0.09, 0.09; the last one failed),
   * and one call of a model without a price. Variant B: six of a tenth of those ($0.003 to 0.009). Features: A is "chat", B "search".
   */
  async function experiment(): Promise<TestTenant> {
    const t = await newTenant(app);
    const at = (i: number) => new Date(NOW - (10 + i) * MINUTE).toISOString();
    const sizes = [1000, 1000, 2000, 2000, 3000, 3000];
    const events = [
      ...sizes.map((input, i) => ({
        provider: 'openai', model: 'gpt-4', input_tokens: input, output_tokens: 0, latency_ms: 100 * (i + 1), feature: 'chat',
        tags: { variant: 'A' }, timestamp: at(i), ...(i === 5 ? { status: 'error', error_type: 'timeout' } : {}),
      })),
      { provider: 'openai', model: 'in-house-model', input_tokens: 500, output_tokens: 100, latency_ms: 700, feature: 'chat', tags: { variant: 'A' }, timestamp: at(6) },
      ...sizes.map((input, i) => ({
        provider: 'openai', model: 'gpt-4o-mini', input_tokens: input / 10, output_tokens: 0, latency_ms: 50 + 10 * i, feature: 'search', tags: { variant: 'B' }, timestamp: at(7 + i),
      })),
    ];
    const res = await app.request('/api/events/batch', { token: t.apiKey, body: { events } });
    expect(res.status).toBe(200);
    return t;
  }

  const compare = async (t: TestTenant, query: string) => {
    const res = await app.request(`/api/experiments/compare?${query}`, { token: t.apiKey });
    expect(res.status).toBe(200);
    return (await res.json()) as Comparison;
  };

  it('compares two values of a tag: calls, cost, mean cost per call with its interval, latency, errors and the verdict', async () => {
    const t = await experiment();
    const r = await compare(t, `dimension=tag:variant&a=A&b=B&${RANGE}`);
    // A: mean $0.06 over 6 priced calls, sd sqrt(0.00072); t(0.975, 5) = 2.5705818.
    const halfA = 2.5705818 * Math.sqrt(0.00072e18 / 6);
    expect(r.a).toEqual({
      value: 'A', calls: 7, priced_calls: 6, unpriced_calls: 1, errors: 1, cost: 0.36, cost_nanos: 360_000_000,
      cost_per_call: { mean: 0.06, ci95_low: usd(60_000_000 - halfA), ci95_high: usd(60_000_000 + halfA) },
      tokens_per_call: (12_000 + 600) / 7,
      latency_ms: { p50: 400, p95: 700 }, error_rate: Math.round((1 / 7) * 1e6) / 1e6, events_read_since: null,
    });
    // B on gpt-4o-mini ($0.15 a million input tokens): 100 to 300 tokens, 15,000 to 45,000 nanodollars, mean 30,000.
    expect(r.b).toMatchObject({
      value: 'B', calls: 6, priced_calls: 6, unpriced_calls: 0, errors: 0, cost: 0.00018, cost_nanos: 180_000,
      tokens_per_call: 200, latency_ms: { p50: 70, p95: 100 }, error_rate: 0, events_read_since: null,
    });
    expect(r.b.cost_per_call.mean).toBe(0.00003);
    expect(r.difference.mean).toBe(usd(30_000 - 60_000_000));
    expect(r.difference.relative).toBe(-0.9995);
    expect(r.difference.ci95_high as number).toBeLessThan(0);
    expect(r.difference.ci95_low as number).toBeLessThan(r.difference.mean as number);
    expect(r).toMatchObject({ dimension: 'tag:variant', verdict: 'b_cheaper', method: 'welch_t', raw_events_since: null });
    expect(r.reason).toMatch(/^"B" costs \$0\.05997 less per call than "A" \(100% less\); the 95% interval of the saving, \$0\.\d+ to \$0\.\d+ per call, is all above zero\.$/);
    // The same data, the same answer.
    expect(await compare(t, `dimension=tag:variant&a=A&b=B&${RANGE}`)).toEqual(r);
    const swapped = await compare(t, `dimension=tag:variant&a=B&b=A&${RANGE}`);
    expect(swapped.verdict).toBe('a_cheaper');
  });

  it('compares models and features, and applies the filters to both arms', async () => {
    const t = await experiment();
    const models = await compare(t, `dimension=model&a=gpt-4&b=gpt-4o-mini&${RANGE}`);
    expect([models.a.calls, models.a.cost_nanos, models.b.calls, models.b.cost_nanos, models.verdict]).toEqual([6, 360_000_000, 6, 180_000, 'b_cheaper']);
    const features = await compare(t, `dimension=feature&a=chat&b=search&${RANGE}`);
    expect([features.a.calls, features.a.unpriced_calls, features.b.calls, features.verdict]).toEqual([7, 1, 6, 'b_cheaper']);
    const filtered = await compare(t, `dimension=tag:variant&a=A&b=B&model=gpt-4&${RANGE}`);
    expect([filtered.a.calls, filtered.b.calls, filtered.verdict]).toEqual([6, 0, 'insufficient_data']);
    expect(filtered.reason).toBe('"B" has 0 priced calls in the range; comparing costs needs at least 2 priced calls in each arm.');
    expect(filtered.b).toMatchObject({ cost_per_call: { mean: null, ci95_low: null, ci95_high: null }, latency_ms: { p50: null, p95: null }, error_rate: null, tokens_per_call: null });
  });

  it('calls two arms of one price no difference', async () => {
    const t = await newTenant(app);
    const events = [1000, 1000, 2000, 2000, 3000, 3000].map((input, i) => ({
      provider: 'openai', model: 'gpt-4', input_tokens: input, output_tokens: 0, tags: { variant: i % 2 ? 'B' : 'A' }, timestamp: new Date(NOW - (i + 1) * MINUTE).toISOString(),
    }));
    expect((await app.request('/api/events/batch', { token: t.apiKey, body: { events } })).status).toBe(200);
    const r = await compare(t, `dimension=tag:variant&a=A&b=B&${RANGE}`);
    expect(r.a.cost_per_call.mean).toBe(0.06);
    expect(r.b.cost_per_call.mean).toBe(0.06);
    expect(r.difference.mean).toBe(0);
    expect(r.verdict).toBe('no_significant_difference');
  });

  it('reads only the latest calls of an arm past the bound, and says from when', async () => {
    const t = await experiment();
    // A's 4th newest call is 13 minutes old: capped at 3, A covers the calls after it.
    const r = await compareExperiment({ ctx: as(t), input: { dimension: { kind: 'tag', name: 'variant' }, a: 'A', b: 'B', from: NOW - 86_400_000, to: NOW } }, 3);
    expect(r.a.events_read_since).toBe(new Date(NOW - 13 * MINUTE + 1).toISOString());
    expect(r.a.calls).toBe(3);
    expect(r.a.cost_nanos).toBe((1000 + 1000 + 2000) * GPT4_INPUT_NANOS);
    expect(r.b.events_read_since).toBe(new Date(NOW - 20 * MINUTE + 1).toISOString());
  });

  it('never shows one project the calls of another', async () => {
    await experiment();
    const stranger = await newTenant(app);
    const r = await compare(stranger, `dimension=tag:variant&a=A&b=B&${RANGE}`);
    expect([r.a.calls, r.b.calls, r.verdict]).toEqual([0, 0, 'insufficient_data']);
  });

  it('refuses bad input with a 400 that says what is wrong', async () => {
    const t = await newTenant(app);
    const cases: [string, string][] = [
      ['dimension=provider&a=x&b=y', 'query.dimension: dimension must be model, feature or tag:<name> (got "provider")'],
      ['dimension=tag:&a=x&b=y', 'query.dimension: dimension must be model, feature or tag:<name> (got "tag:")'],
      ['a=x&b=y', 'query.dimension: dimension is required: model, feature or tag:<name>'],
      ['dimension=model&b=y', 'query.a: a is required: the first value to compare'],
      ['dimension=model&a=x', 'query.b: b is required: the second value to compare'],
      ['dimension=model&a=x&b=x', 'a and b must be two different values (both are "x")'],
      [`dimension=model&a=x&b=y&from=${NOW}&to=${NOW}`, 'from must be before to'],
      ['dimension=model&a=x&b=y&from=2026-12-01&to=2026-11-01', 'from must be before to'],
      ['dimension=model&a=x&b=y&model=gpt-4', 'the model filter cannot be used with dimension=model: the arms are the two models a and b'],
    ];
    for (const [query, message] of cases) {
      const res = await app.request(`/api/experiments/compare?${query}`, { token: t.apiKey });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, query).toBe(message);
    }
  });
});
