import { describe, expect, it } from 'vitest';
import { compareArms, type ExperimentCall, nearestRank, summarizeArm, welchDifference } from './compare-arms.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

/** A small seeded PRNG (sfc32): the same seed gives the same calls on every run. */
function seeded(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed | 0;
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/**
 * Log-normal costs as LLM calls have them: a median of $0.002 and sigma 1 (a call at the 95th
 * percentile costs about five times the median, one in a thousand twenty times), in whole nanodollars.
 */
function logNormalCalls(random: () => number, n: number, medianNanos = 2_000_000, sigma = 1): ExperimentCall[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return { cost_nanos: Math.round(medianNanos * Math.exp(sigma * z)), input_tokens: 1000, output_tokens: 200, latency_ms: 800, error: false };
  });
}

const call = (cost_nanos: number | null, extra: Partial<ExperimentCall> = {}): ExperimentCall => ({ cost_nanos, input_tokens: 100, output_tokens: 50, latency_ms: 300, error: false, ...extra });

describe('Student t', () => {
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [10, 2.2281],
    [30, 2.0423],
    [1e6, 1.96],
  ])('gives the two-sided 95%% multiplier for %d degrees of freedom', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTCdf(studentTQuantile(0.975, df), df)).toBeCloseTo(0.975, 8);
  });

  it('takes fractional degrees of freedom, as Welch gives them', () => {
    expect(studentTQuantile(0.975, 4.5)).toBeGreaterThan(studentTQuantile(0.975, 5));
    expect(studentTQuantile(0.975, 4.5)).toBeLessThan(studentTQuantile(0.975, 4));
  });
});

describe('summarizeArm on a hand-computed arm', () => {
  // Costs 1,000, 2,000 and 3,000 nanodollars and one unpriced call; one error; latencies 100 to 400 ms.
  const arm = summarizeArm([
    call(1000, { latency_ms: 400, input_tokens: 10, output_tokens: 5 }),
    call(2000, { latency_ms: 100, input_tokens: 20, output_tokens: 5, error: true }),
    call(3000, { latency_ms: 300, input_tokens: 30, output_tokens: 10 }),
    call(null, { latency_ms: 200, input_tokens: 40, output_tokens: 10 }),
  ]);

  it('counts calls, priced and unpriced calls and errors, and sums the priced cost', () => {
    expect(arm).toMatchObject({ calls: 4, priced_calls: 3, unpriced_calls: 1, errors: 1, cost_nanos: 6000, error_rate: 0.25 });
  });

  it('averages the cost over priced calls only, with a t interval floored at zero', () => {
    // Mean 2,000; sd 1,000; se 1000 / sqrt(3); t(0.975, 2) = 4.302653: half-width 2,484.13.
    expect(arm.cost_per_call.mean).toBe(2000);
    expect(arm.cost_per_call.ci95_low).toBe(0);
    expect(arm.cost_per_call.ci95_high).toBeCloseTo(2000 + (4.302653 * 1000) / Math.sqrt(3), 2);
  });

  it('averages tokens over every call and takes nearest-rank latency percentiles', () => {
    expect(arm.tokens_per_call).toBe((15 + 25 + 40 + 50) / 4);
    expect(arm.latency_ms).toEqual({ p50: 200, p95: 400 });
  });

  it('answers nulls for an arm without calls', () => {
    expect(summarizeArm([])).toEqual({
      calls: 0, priced_calls: 0, unpriced_calls: 0, errors: 0, cost_nanos: 0,
      cost_per_call: { mean: null, ci95_low: null, ci95_high: null },
      tokens_per_call: null, latency_ms: { p50: null, p95: null }, error_rate: null,
    });
  });
});

describe('nearestRank and welchDifference', () => {
  it('picks an observed value, never one between two', () => {
    expect(nearestRank([100, 200, 300, 400], 0.5)).toBe(200);
    expect(nearestRank([100, 200, 300, 400], 0.95)).toBe(400);
    expect(nearestRank(Array.from({ length: 20 }, (_, i) => i + 1), 0.95)).toBe(19);
    expect(nearestRank([7], 0.5)).toBe(7);
    expect(nearestRank([], 0.5)).toBeNull();
  });

  it('gives the Welch interval of a hand-computed difference', () => {
    // Means 12 and 22, variances 4 and 4: se sqrt(8/3), 4 degrees of freedom, t = 2.776445.
    const w = welchDifference([10, 12, 14], [20, 22, 24]);
    expect(w.difference).toBe(10);
    expect(w.df).toBeCloseTo(4, 12);
    expect(w.ci95_low).toBeCloseTo(10 - 2.776445 * Math.sqrt(8 / 3), 5);
    expect(w.ci95_high).toBeCloseTo(10 + 2.776445 * Math.sqrt(8 / 3), 5);
  });
});

describe('compareArms', () => {
  it('calls a real 2x difference with 200 log-normal calls an arm, in either direction', () => {
    let found = 0;
    let swapped = 0;
    for (let trial = 1; trial <= 100; trial++) {
      const random = seeded(trial);
      const a = logNormalCalls(random, 200, 2_000_000);
      const b = logNormalCalls(random, 200, 1_000_000);
      if (compareArms(a, b).verdict === 'b_cheaper') found++;
      if (compareArms(b, a).verdict === 'a_cheaper') swapped++;
    }
    expect(found).toBeGreaterThanOrEqual(95);
    expect(swapped).toBe(found);
  });

  it('calls two arms drawn from one log-normal distribution no difference in at least 95 of 100 seeded trials', () => {
    let same = 0;
    for (let trial = 1; trial <= 100; trial++) {
      const random = seeded(1000 + trial);
      const verdict = compareArms(logNormalCalls(random, 200), logNormalCalls(random, 200)).verdict;
      if (verdict === 'no_significant_difference') same++;
    }
    expect(same).toBeGreaterThanOrEqual(95);
  });

  it('covers the true difference with its interval and says so in the reason', () => {
    const random = seeded(7);
    // True means: 2e6 * exp(1/2) and half of it; B saves 1e6 * exp(1/2) ≈ 1,648,721 nanos a call.
    const r = compareArms(logNormalCalls(random, 200, 2_000_000), logNormalCalls(random, 200, 1_000_000), { a: 'control', b: 'short prompt' });
    const truth = -1_000_000 * Math.exp(0.5);
    expect(r.verdict).toBe('b_cheaper');
    expect(r.difference.ci95_low as number).toBeLessThan(truth);
    expect(r.difference.ci95_high as number).toBeGreaterThan(truth);
    expect(r.difference.relative as number).toBeLessThan(0);
    expect(r.reason).toMatch(/^"short prompt" costs \$0\.\d+ less per call than "control" \(\d+(\.\d)?% less\); the 95% interval of the saving, \$0\.\d+ to \$0\.\d+ per call, is all above zero\.$/);
  });

  it('answers the same for the same calls', () => {
    const a = logNormalCalls(seeded(3), 50);
    const b = logNormalCalls(seeded(4), 50);
    expect(compareArms(a, b)).toEqual(compareArms(a, b));
  });

  it('finds an exact difference between arms of constant cost', () => {
    const r = compareArms([call(1000), call(1000)], [call(500), call(500), call(500)]);
    expect(r.verdict).toBe('b_cheaper');
    expect(r.difference).toEqual({ mean: -500, ci95_low: -500, ci95_high: -500, relative: -0.5 });
    expect(compareArms([call(1000), call(1000)], [call(1000), call(1000)]).verdict).toBe('no_significant_difference');
  });

  it('calls overlapping arms no difference and gives the interval that holds zero', () => {
    const r = compareArms([call(1000), call(3000)], [call(1500), call(2500)], { a: 'A', b: 'B' });
    expect(r.verdict).toBe('no_significant_difference');
    expect(r.difference.mean).toBe(0);
    expect(r.reason).toMatch(/^The 95% interval of the difference \("B" minus "A"\), -\$0\.0000\d+ to \$0\.0000\d+ per call, includes zero: these calls do not show either arm cheaper\.$/);
  });

  it('leaves unpriced calls out of the cost and keeps failed calls in it', () => {
    const r = compareArms([call(1000), call(1000), call(null), call(null)], [call(4000, { error: true }), call(4000)]);
    expect(r.a).toMatchObject({ calls: 4, priced_calls: 2, unpriced_calls: 2, cost_nanos: 2000, cost_per_call: { mean: 1000 } });
    expect(r.b).toMatchObject({ calls: 2, errors: 1, error_rate: 0.5, cost_nanos: 8000, cost_per_call: { mean: 4000 } });
    expect(r.verdict).toBe('a_cheaper');
  });

  it('says which arm has too few priced calls instead of comparing', () => {
    const r = compareArms([call(1000), call(null)], [call(500), call(700)], { a: 'A', b: 'B' });
    expect(r.verdict).toBe('insufficient_data');
    expect(r.reason).toBe('"A" has 1 priced call in the range; comparing costs needs at least 2 priced calls in each arm.');
    expect(r.difference).toEqual({ mean: -400, ci95_low: null, ci95_high: null, relative: -0.4 });
    const none = compareArms([], [], { a: 'A', b: 'B' });
    expect(none.reason).toBe('"A" has 0 priced calls and "B" has 0 priced calls in the range; comparing costs needs at least 2 priced calls in each arm.');
    expect(none.difference).toEqual({ mean: null, ci95_low: null, ci95_high: null, relative: null });
  });
});
