import { describe, expect, it } from 'vitest';
import { usdToNanos } from '../money/nanos.js';
import { DAY_MS, HOUR_MS } from '../time/zones.js';
import { detectAnomalies } from './detect-anomalies.js';
import type { AnomalyPoint, AnomalySeries } from './types.js';

/** mulberry32: seeded noise, so the series are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 2026-09-07 is a Monday.
const START = Date.UTC(2026, 8, 7);

/** A day or an hour of ordinary traffic: gpt-4o-mini for chat, spread over ten users. */
function ordinary(at: number, usd: number, rand: () => number): AnomalyPoint {
  const spend = usdToNanos(usd * (1 + 0.15 * (rand() - 0.5)));
  const calls = Math.max(1, Math.round(usd * 100));
  const users: Record<string, number> = {};
  for (let u = 0; u < 10; u++) users[`user-${u}`] = spend / 10;
  return {
    at,
    spend_nanos: spend,
    calls,
    input_tokens: calls * 800,
    output_tokens: calls * 200,
    contributions: { model: { 'openai/gpt-4o-mini': spend }, feature: { chat: spend }, user: users, key: { 'key-web': spend } },
  };
}

/** Adds a burst from one user of one feature on a more expensive model through one key. */
function withBurst(p: AnomalyPoint, usd: number, calls: number, who: { model: string; feature: string; user: string; key: string }): AnomalyPoint {
  const extra = usdToNanos(usd);
  const add = (m: Record<string, number> | undefined, k: string) => ({ ...m, [k]: (m?.[k] ?? 0) + extra });
  return {
    ...p,
    spend_nanos: p.spend_nanos + extra,
    calls: p.calls + calls,
    input_tokens: p.input_tokens + calls * 800,
    output_tokens: p.output_tokens + calls * 200,
    contributions: {
      model: add(p.contributions?.model, who.model),
      feature: add(p.contributions?.feature, who.feature),
      user: add(p.contributions?.user, who.user),
      key: add(p.contributions?.key, who.key),
    },
  };
}

const weekdayOf = (at: number) => new Date(at).getUTCDay();
const daily = (days: number, usdOn: (weekday: number) => number, seed = 1): AnomalyPoint[] => {
  const rand = seeded(seed);
  return Array.from({ length: days }, (_v, i) => ordinary(START + i * DAY_MS, usdOn(weekdayOf(START + i * DAY_MS)), rand));
};
const project = (points: AnomalyPoint[], granularity: 'day' | 'hour' = 'day'): AnomalySeries => ({
  dimension: 'project',
  key: 'all',
  granularity,
  points,
});

describe('detectAnomalies on daily spend', () => {
  it('does not flag weekend dips or weekend peaks of an ordinary week', () => {
    const dips = daily(70, (d) => (d === 0 || d === 6 ? 6 : 40));
    const peaks = daily(70, (d) => (d === 0 || d === 6 ? 90 : 15), 2);
    expect(detectAnomalies({ series: [project(dips), project(peaks)] })).toEqual([]);
  });

  it('finds a spike on a Wednesday with the user, model, feature and key that drove it', () => {
    const points = daily(56, (d) => (d === 0 || d === 6 ? 6 : 40));
    const spikeDay = 44; // a Wednesday
    expect(weekdayOf(points[spikeDay].at)).toBe(3);
    const who = { model: 'openai/gpt-4', feature: 'bulk-summaries', user: 'customer-42', key: 'key-batch' };
    points[spikeDay] = withBurst(points[spikeDay], 120, 500, who);
    const found = detectAnomalies({ series: [project(points)] }).filter((a) => a.metric === 'spend');
    expect(found).toHaveLength(1);
    const [a] = found;
    expect(a.at).toBe(points[spikeDay].at);
    expect(a.score).toBeGreaterThan(10);
    // Excess is the burst's $120 within the day-to-day noise of a $40 day.
    expect(a.excess_nanos).toBeGreaterThan(usdToNanos(114));
    expect(a.excess_nanos).toBeLessThan(usdToNanos(126));
    for (const kind of ['model', 'feature', 'user', 'key'] as const) {
      const top = a.drivers.find((d) => d.kind === kind);
      expect(top?.key).toBe(who[kind]);
      expect(top?.excess_nanos).toBe(usdToNanos(120));
      expect(top?.share).toBeGreaterThan(0.95);
    }
  });

  it('judges only buckets since the given instant', () => {
    const points = daily(56, () => 40);
    points[30] = withBurst(points[30], 200, 100, { model: 'openai/gpt-4', feature: 'chat', user: 'u', key: 'k' });
    expect(detectAnomalies({ series: [project(points)], options: { since: points[40].at } })).toEqual([]);
    expect(detectAnomalies({ series: [project(points)] })).toHaveLength(1);
  });

  it('flags calls that grew in tokens while their count stayed put', () => {
    const points = daily(42, () => 40);
    const p = points[38];
    points[38] = { ...p, input_tokens: p.input_tokens * 6, spend_nanos: p.spend_nanos * 5 };
    const tokens = detectAnomalies({ series: [project(points)] }).find((a) => a.metric === 'tokens_per_call');
    expect(tokens).toBeDefined();
    expect(tokens?.baseline).toBe(1000);
    expect(tokens?.value).toBe(5000);
    // Four fifths of the day's spend paid for the extra tokens.
    expect(tokens?.excess_nanos).toBe(Math.round(points[38].spend_nanos * 0.8));
  });

  it('says nothing about a project without spend', () => {
    const empty = Array.from({ length: 30 }, (_v, i) => ({ at: START + i * DAY_MS, spend_nanos: 0, calls: 0, input_tokens: 0, output_tokens: 0 }));
    expect(detectAnomalies({ series: [project(empty)] })).toEqual([]);
  });
});

describe('detectAnomalies on hourly spend', () => {
  const hourly = (hours: number): AnomalyPoint[] => {
    const rand = seeded(7);
    return Array.from({ length: hours }, (_v, h) => {
      const at = START + h * HOUR_MS;
      const hour = new Date(at).getUTCHours();
      const weekend = [0, 6].includes(weekdayOf(at));
      const usd = hour >= 8 && hour < 19 ? (weekend ? 0.5 : 3) : 0.2;
      return ordinary(at, usd, rand);
    });
  };

  it('does not flag busy office hours, quiet nights or quiet weekends', () => {
    expect(detectAnomalies({ series: [project(hourly(24 * 21), 'hour')] })).toEqual([]);
  });

  it('finds a burst at 3 am from one API key', () => {
    const points = hourly(24 * 21);
    const at = 24 * 17 + 3;
    points[at] = withBurst(points[at], 5, 200, { model: 'openai/gpt-4o', feature: 'backfill', user: 'ops', key: 'key-cron' });
    const [a, ...rest] = detectAnomalies({ series: [project(points, 'hour')] }).filter((x) => x.metric === 'spend');
    expect(rest).toEqual([]);
    expect(a.at).toBe(START + at * HOUR_MS);
    expect(a.drivers.find((d) => d.kind === 'key')).toMatchObject({ key: 'key-cron', excess_nanos: usdToNanos(5) });
  });
});
