import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchInput, TrackEventInput } from './events.js';
import { fastBatch, fastTrackEvent } from './events-fast.js';

const MAX_TOKENS = 100_000_000_000;
const KNOWN_KEYS = ['provider', 'model', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'usage_missing', 'service_tier', 'timestamp', 'latency_ms', 'status', 'error_type', 'feature', 'user_id', 'session_id', 'environment', 'request_hash', 'tags', 'metadata', 'event_id'];
const SPECIAL_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

type Schema = typeof TrackEventInput | typeof BatchInput;
type Verdict = { zodOk: boolean; fastOk: boolean };

/** The property itself: the fast path answers only where zod succeeds, and then with zod's very output. */
function expectAgreement(schema: Schema, fast: (v: unknown) => unknown, value: unknown): Verdict {
  let zod: ReturnType<Schema['safeParse']> | undefined;
  try {
    zod = schema.safeParse(value);
  } catch {
    // a refinement can throw (JSON.stringify of a BigInt in metadata): zod did not accept it
  }
  const out = fast(value);
  if (out !== undefined) {
    expect(zod?.success).toBe(true);
    expect(out).toStrictEqual(zod?.data);
    // and in zod's key order, which toStrictEqual ignores but a stored JSON column would not
    expect(JSON.stringify(out)).toBe(JSON.stringify(zod?.data));
  }
  return { zodOk: zod?.success === true, fastOk: out !== undefined };
}

/** JSON.parse output with key as an own property, which is how "__proto__" arrives over the wire. */
function parseWithKey(obj: object, key: string, value: unknown): Record<string, unknown> {
  const rest = JSON.stringify(obj).slice(1);
  return JSON.parse(`{${JSON.stringify(key)}:${jsonOf(value)}${rest === '}' ? '' : ','}${rest}`);
}
function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}

// ---- ordinary valid events: the fast path must take every one of them ----
const text = (max: number) => fc.oneof(fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() === s), fc.constant('x'.repeat(max)));
const count = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: MAX_TOKENS }), fc.constant(MAX_TOKENS));
const part = fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: MAX_TOKENS / 2 }));
const recordKey = (k: string) => !SPECIAL_KEYS.includes(k);
const tagValue = fc.oneof(fc.string({ maxLength: 256 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const ordinaryTags = fc.dictionary(text(64).filter(recordKey), tagValue, { maxKeys: 32 });
const ordinaryMetadata = fc
  .dictionary(fc.string().filter(recordKey), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 })
  .filter((m) => JSON.stringify(m).length <= 16_384);

const ordinaryEvent = fc
  .tuple(
    fc.record(
      {
        provider: text(64),
        model: text(200),
        input_tokens: count,
        output_tokens: count,
        cached_input_tokens: part,
        cache_write_tokens: part,
        reasoning_tokens: part,
        usage_missing: fc.boolean(),
        service_tier: fc.constantFrom('standard', 'batch', 'flex', 'priority'),
        timestamp: fc.oneof(fc.integer({ min: 1_420_070_400_000, max: 2_000_000_000_000 }), fc.maxSafeNat()),
        latency_ms: fc.integer({ min: 0, max: 86_400_000 }),
        status: fc.constantFrom('success', 'error'),
        error_type: text(200),
        feature: text(128),
        user_id: text(256),
        session_id: text(200),
        environment: text(64),
        request_hash: fc.stringMatching(/^[A-Za-z0-9_-]{8,128}$/),
        tags: ordinaryTags,
        metadata: ordinaryMetadata,
        event_id: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/),
      },
      { requiredKeys: ['provider', 'model', 'input_tokens', 'output_tokens'] },
    ),
    // clients send the keys in any order; zod's output follows its shape
    fc.shuffledSubarray(KNOWN_KEYS, { minLength: KNOWN_KEYS.length }),
  )
  .map(([e, order]): Record<string, unknown> => {
    const fixed: Record<string, unknown> = {
      ...e,
      input_tokens: Math.max(e.input_tokens, (e.cached_input_tokens ?? 0) + (e.cache_write_tokens ?? 0)),
      output_tokens: Math.max(e.output_tokens, e.reasoning_tokens ?? 0),
    };
    return Object.fromEntries(order.filter((k) => k in fixed).map((k) => [k, fixed[k]]));
  });

// ---- mutated and hostile input ----
const padded = fc
  .tuple(fc.constantFrom('', ' ', '\t', '\n', '\u00a0', '\ufeff', '\u2028', '\u3000', '\u200b', '\u180e'), fc.constantFrom('', 'x', 'gpt-4', 'a b'), fc.constantFrom('', ' ', '\r\n', '\u00a0', '\u200b'))
  .map(([a, b, c]) => a + b + c);
const oddNumber = fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, -1, 0.5, 1e-9, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), MAX_TOKENS, MAX_TOKENS + 1, 86_400_000, 86_400_001);
const oddValue = fc.constantFrom<unknown>(null, undefined, true, false, [], [1], {}, 10n, Symbol('s'), () => 1, new Date(0), Object.create(null), '123', 'success', 'SUCCESS', 'error ', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00+02:00', '2024-01-01');
const boundaryLength = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(7, 8, 64, 65, 128, 129, 200, 201, 256, 257));
const longString = fc.tuple(boundaryLength, fc.constantFrom('a', ' ', '-', '.', 'é')).map(([n, c]) => c.repeat(n));
const oddKey = fc.oneof(fc.constantFrom(...SPECIAL_KEYS, '', ' ', ' a', 'a ', 'x'.repeat(64), 'x'.repeat(65), 'Provider', 'inputTokens'), fc.string({ maxLength: 70 }));
const manyTags = fc.dictionary(fc.oneof(text(64), oddKey), fc.oneof(tagValue, oddNumber, oddValue, longString), { minKeys: 28, maxKeys: 40 });
const bigMetadata = fc.integer({ min: 16_370, max: 16_400 }).map((n) => ({ blob: 'x'.repeat(n - '{"blob":""}'.length) }));
const hostile = fc.oneof(
  oddNumber,
  oddValue,
  padded,
  longString,
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.stringMatching(/^[A-Za-z0-9_.:\- +/]{0,140}$/),
  fc.integer(),
  fc.double(),
  count,
  manyTags,
  bigMetadata,
  fc.dictionary(oddKey, fc.anything(), { maxKeys: 4 }),
  fc.anything(),
);

// Values at and across each field's bounds, so that a limit copied wrong into the fast path shows.
const around = (max: number) =>
  fc.tuple(fc.constantFrom(0, 1, max, max + 1), fc.constantFrom('a', 'é', ' ', '\u00a0'), fc.constantFrom('', ' ', '\n')).map(([n, c, pad]) => pad + c.repeat(n) + pad);
const patterned = (min: number, max: number) =>
  fc
    .tuple(fc.constantFrom(min - 1, min, max, max + 1), fc.constantFrom('a', 'Z', '9', '_', '-', '.', ':', ' ', '+', '/', 'é'))
    .map(([n, c]) => (n <= 0 ? '' : 'a'.repeat(n - 1) + c));
const tokenLike = fc.oneof(oddNumber, count);
const oneOddTag = fc
  .tuple(fc.oneof(around(64), oddKey), fc.oneof(around(256), oddNumber, oddValue, tagValue))
  .map(([k, v]) => ({ [k]: v }));
const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  provider: around(64),
  model: around(200),
  input_tokens: tokenLike,
  output_tokens: tokenLike,
  cached_input_tokens: tokenLike,
  cache_write_tokens: tokenLike,
  reasoning_tokens: tokenLike,
  usage_missing: fc.oneof(fc.boolean(), oddValue, oddNumber),
  service_tier: fc.oneof(fc.constantFrom('standard', 'batch', 'flex', 'priority', 'default', 'scale', 'Batch', ' flex', ''), oddValue),
  timestamp: fc.oneof(oddNumber, fc.maxSafeNat(), fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-01', ' 2024-01-01T00:00:00Z', '1700000000000')),
  latency_ms: fc.oneof(oddNumber, fc.integer({ min: -5, max: 86_400_005 })),
  status: fc.constantFrom('success', 'error', 'SUCCESS', '', ' success', 'ok'),
  error_type: around(200),
  feature: around(128),
  user_id: around(256),
  session_id: around(200),
  environment: around(64),
  request_hash: patterned(8, 128),
  tags: fc.oneof(oneOddTag, oneOddTag, manyTags),
  metadata: fc.oneof(bigMetadata, fc.dictionary(oddKey, fc.anything(), { maxKeys: 3 })),
  event_id: patterned(1, 128),
};

const nearBounds = fc.constantFrom(...KNOWN_KEYS).chain((key) => FIELD_VALUES[key].map((value) => ({ kind: 'set' as const, key, value })));

type Mutation = { kind: 'set'; key: string; value: unknown } | { kind: 'delete'; key: string } | { kind: 'json-key'; target: string; key: string; value: unknown } | { kind: 'null-prototype' };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: nearBounds },
  fc.record({ kind: fc.constant('set' as const), key: fc.oneof(fc.constantFrom(...KNOWN_KEYS), oddKey), value: hostile }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...KNOWN_KEYS) }),
  fc.record({ kind: fc.constant('json-key' as const), target: fc.constantFrom('event', 'tags', 'metadata'), key: oddKey, value: fc.jsonValue({ maxDepth: 1 }) }),
  fc.constant({ kind: 'null-prototype' as const }),
);

function mutate(event: Record<string, unknown>, mutations: Mutation[]): unknown {
  let e: Record<string, unknown> = { ...event };
  for (const m of mutations) {
    if (m.kind === 'set') Object.defineProperty(e, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else if (m.kind === 'delete') delete e[m.key];
    else if (m.kind === 'null-prototype') e = Object.assign(Object.create(null), e);
    else if (m.target === 'event') e = tryJson(e, (j) => parseWithKey(j, m.key, m.value));
    else e = tryJson(e, (j) => ({ ...j, [m.target]: parseWithKey(asObject(j[m.target]), m.key, m.value) }));
  }
  return e;
}
const asObject = (v: unknown): object => (typeof v === 'object' && v !== null ? v : {});
function tryJson(e: Record<string, unknown>, change: (j: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  try {
    return change(JSON.parse(JSON.stringify(e)));
  } catch {
    return e;
  }
}

const mutatedEvent = fc.tuple(ordinaryEvent, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([e, ms]) => mutate(e, ms));
const anyEvent = fc.oneof(ordinaryEvent, mutatedEvent, mutatedEvent, fc.anything());

describe('fastTrackEvent', () => {
  it('accepts every ordinary valid event, with exactly zod output', () => {
    fc.assert(
      fc.property(ordinaryEvent, (e) => {
        const v = expectAgreement(TrackEventInput, fastTrackEvent, e);
        expect(v).toEqual({ zodOk: true, fastOk: true });
      }),
      { numRuns: 500 },
    );
  });

  it('answers only where zod succeeds, and then with the same output', () => {
    const tally = { fast: 0, zodOnly: 0, zodRejects: 0 };
    fc.assert(
      fc.property(anyEvent, (e) => {
        const v = expectAgreement(TrackEventInput, fastTrackEvent, e);
        if (v.fastOk) tally.fast++;
        else if (v.zodOk) tally.zodOnly++;
        else tally.zodRejects++;
      }),
      { numRuns: 3_000 },
    );
    // the generators must reach all three outcomes, or the property proves nothing (zodOnly is rare: the fast path defers little)
    expect(Math.min(tally.fast, tally.zodRejects)).toBeGreaterThan(100);
    expect(tally.zodOnly).toBeGreaterThan(0);
  });

  it('agrees with zod when one field of a valid event sits at or across its bounds', () => {
    const tally = { fast: 0, zodRejects: 0 };
    fc.assert(
      fc.property(ordinaryEvent, nearBounds, (e, change) => {
        const v = expectAgreement(TrackEventInput, fastTrackEvent, mutate(e, [change]));
        if (v.fastOk) tally.fast++;
        if (!v.zodOk) tally.zodRejects++;
      }),
      { numRuns: 3_000 },
    );
    expect(Math.min(tally.fast, tally.zodRejects)).toBeGreaterThan(100);
  });

  const base = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 };
  const cases: [string, unknown, Verdict][] = [
    ['100e9 tokens', { ...base, input_tokens: MAX_TOKENS, output_tokens: MAX_TOKENS }, { zodOk: true, fastOk: true }],
    ['100e9 + 1 tokens', { ...base, input_tokens: MAX_TOKENS + 1 }, { zodOk: false, fastOk: false }],
    ['2^53 tokens', { ...base, output_tokens: 2 ** 53 }, { zodOk: false, fastOk: false }],
    ['2^53 timestamp', { ...base, timestamp: 2 ** 53 }, { zodOk: false, fastOk: false }],
    ['2^53 - 1 timestamp', { ...base, timestamp: 2 ** 53 - 1 }, { zodOk: true, fastOk: true }],
    ['latency of a full day', { ...base, latency_ms: 86_400_000 }, { zodOk: true, fastOk: true }],
    ['latency past a day', { ...base, latency_ms: 86_400_001 }, { zodOk: false, fastOk: false }],
    ['cached + written = input', { ...base, cached_input_tokens: 600, cache_write_tokens: 400 }, { zodOk: true, fastOk: true }],
    ['cached + written > input', { ...base, cached_input_tokens: 601, cache_write_tokens: 400 }, { zodOk: false, fastOk: false }],
    ['reasoning > output', { ...base, reasoning_tokens: 501 }, { zodOk: false, fastOk: false }],
    ['32 tags', { ...base, tags: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`t${i}`, i])) }, { zodOk: true, fastOk: true }],
    ['33 tags', { ...base, tags: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`t${i}`, i])) }, { zodOk: false, fastOk: false }],
    ['metadata of 16,384 chars', { ...base, metadata: { blob: 'x'.repeat(16_384 - 11) } }, { zodOk: true, fastOk: true }],
    ['metadata of 16,385 chars', { ...base, metadata: { blob: 'x'.repeat(16_385 - 11) } }, { zodOk: false, fastOk: false }],
    ['a padded provider, trimmed', { ...base, provider: '  openai\n' }, { zodOk: true, fastOk: true }],
    ['an ISO timestamp, left to zod', { ...base, timestamp: '2026-01-01T00:00:00Z' }, { zodOk: true, fastOk: false }],
    ['a padded tag name, left to zod', { ...base, tags: { ' team': 'a' } }, { zodOk: true, fastOk: false }],
    ['a __proto__ metadata key, left to zod', { ...base, metadata: JSON.parse('{"__proto__":{"x":1},"a":1}') }, { zodOk: true, fastOk: false }],
    ['a __proto__ event key', JSON.parse(`{"__proto__":{},${JSON.stringify(base).slice(1)}`), { zodOk: false, fastOk: false }],
    ['an optional key holding undefined, left to zod', { ...base, feature: undefined }, { zodOk: true, fastOk: false }],
  ];
  it.each(cases)('%s', (_, value, verdict) => {
    expect(expectAgreement(TrackEventInput, fastTrackEvent, value)).toEqual(verdict);
  });
});

describe('fastBatch', () => {
  it('accepts every batch of ordinary valid events, with exactly zod output', () => {
    fc.assert(
      fc.property(fc.array(ordinaryEvent, { minLength: 1, maxLength: 20 }), (events) => {
        expect(expectAgreement(BatchInput, fastBatch, { events })).toEqual({ zodOk: true, fastOk: true });
      }),
      { numRuns: 200 },
    );
  });

  it('answers only where zod succeeds, and then with the same output', () => {
    const batch = fc.oneof(
      fc.array(fc.oneof(ordinaryEvent, ordinaryEvent, anyEvent), { maxLength: 8 }).map((events) => ({ events })),
      fc.tuple(fc.array(ordinaryEvent, { minLength: 1, maxLength: 3 }), oddKey, hostile).map(([events, key, value]) => parseWithKey({ events }, key, value)),
      hostile.map((events) => ({ events })),
      fc.anything(),
    );
    const tally = { fast: 0, rejected: 0 };
    fc.assert(
      fc.property(batch, (b) => {
        const v = expectAgreement(BatchInput, fastBatch, b);
        if (v.fastOk) tally.fast++;
        else tally.rejected++;
      }),
      { numRuns: 500 },
    );
    expect(Math.min(tally.fast, tally.rejected)).toBeGreaterThan(20);
  });

  it('takes 1 to 1,000 events, as zod does', () => {
    const event = { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 };
    expect(expectAgreement(BatchInput, fastBatch, { events: Array(1000).fill(event) })).toEqual({ zodOk: true, fastOk: true });
    expect(expectAgreement(BatchInput, fastBatch, { events: Array(1001).fill(event) })).toEqual({ zodOk: false, fastOk: false });
    expect(expectAgreement(BatchInput, fastBatch, { events: [] })).toEqual({ zodOk: false, fastOk: false });
    expect(expectAgreement(BatchInput, fastBatch, { events: [event, { ...event, input_tokens: -1 }] })).toEqual({ zodOk: false, fastOk: false });
  });
});
