import { AppError, addDays, DAY_MS, type GroupBy, HOUR_MS, localDate, localDatesBetween, nanosToUsd, wallClock } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { readKeyLabels } from '../keys/read-key-labels.js';
import { rawEventsCoverage } from '../retention/raw-events-since.js';
import { type Cell, readEventCells } from './read-event-cells.js';
import { rollupQuery, type UsageFilters } from './read-rollups.js';

export type { GroupBy };

export interface SeriesInput extends UsageFilters {
  from: number;
  to: number;
  tz: string;
  group_by: GroupBy;
  user_id?: string;
}

/** What a caller asks for: explicit bounds, or the last `days` local days (default 30) ending now. */
export interface SeriesRequest extends Omit<SeriesInput, 'from' | 'to'> {
  from?: number;
  to?: number;
  days?: number;
}

/** [from, to): explicit bounds, or the last `days` local days (default 30) ending now. */
export function resolveRange<Q extends SeriesRequest>(ctx: TenantContext, q: Q): Q & { from: number; to: number } {
  const now = ctx.now();
  const to = q.to ?? now;
  const from = q.from ?? addDays(to, -((q.days ?? 30) - 1), q.tz);
  if (from >= to) throw new AppError('bad_request', 'from must be before to');
  if (to - from > 400 * DAY_MS) throw new AppError('bad_request', 'a range spans at most 400 days');
  return { ...q, from, to };
}


const GROUP_COLUMNS = { provider: ['provider'], model: ['provider', 'model'], feature: ['feature'], service_tier: ['service_tier'] } as const;

/** Grouping or filtering by end user, or grouping by API key: the rollups keep neither, so the answer comes from raw events. */
function readsEvents(input: SeriesInput): boolean {
  return input.group_by === 'user' || input.group_by === 'api_key' || input.user_id !== undefined;
}

/** An answer's `raw_events_since`: where retention cut the raw events it was read from, when it did within the range. */
function coverage(ctx: TenantContext, input: SeriesInput): Promise<string | null> {
  return readsEvents(input) ? rawEventsCoverage(ctx, input.from) : Promise.resolve(null);
}


/**
 * Spend per group (and per hour when `byHour`), aggregated in SQL by exactly the columns the
 * answer needs; from rollups, or from the latest raw events when grouping or filtering by end user
 * or grouping by API key (rollups keep neither: users would swamp them, and keys are read rarely
 * enough that reading events is cheaper than a wider rollup key on every write). `readFrom`:
 * where the events read start, when the range held more than the answer reads (readEventCells).
 */
async function cells(ctx: TenantContext, input: SeriesInput, byHour: boolean): Promise<{ cells: Cell[]; readFrom: number | null }> {
  if (readsEvents(input)) return readEventCells(ctx, input, byHour);
  const groups = [...(byHour ? ['hour'] : []), ...GROUP_COLUMNS[input.group_by as keyof typeof GROUP_COLUMNS]] as ('hour' | 'provider' | 'model' | 'feature' | 'service_tier')[];
  const rows = await rollupQuery(ctx, Math.floor(input.from / HOUR_MS) * HOUR_MS, input.to, input)
    .select((eb) => [
      ...groups,
      eb.fn.sum<number>('cost_nanos').as('cost'),
      eb.fn.sum<number>('calls').as('calls'),
      eb.fn.sum<number>('input_tokens').as('input'),
      eb.fn.sum<number>('output_tokens').as('output'),
      eb.fn.sum<number>('unpriced_calls').as('unpriced'),
      eb.fn.sum<number>('saved_nanos').as('saved'),
      eb.fn.sum<number>('cache_hits').as('hits'),
    ])
    .groupBy(groups)
    .execute();
  const found = rows.map((r) => {
    const row = r as typeof r & { hour?: number; provider?: string; model?: string; feature?: string; service_tier?: string };
    return {
      bucket: Number(row.hour ?? 0),
      key: rollupGroupKey(input.group_by, row),
      provider: row.provider ?? '',
      model: row.model ?? '',
      cost: Number(r.cost),
      calls: Number(r.calls),
      input: Number(r.input),
      output: Number(r.output),
      unpriced: Number(r.unpriced),
      saved: Number(r.saved),
      hits: Number(r.hits),
    };
  });
  return { cells: found, readFrom: null };
}

/** A rollup group's key as answers show it: "provider/model" for models, "(none)" for calls without a feature. */
function rollupGroupKey(groupBy: GroupBy, row: { provider?: string; model?: string; feature?: string; service_tier?: string }): string {
  if (groupBy === 'provider') return String(row.provider);
  if (groupBy === 'model') return `${row.provider}/${row.model}`;
  if (groupBy === 'service_tier') return String(row.service_tier);
  return row.feature || '(none)';
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function bucketLabel(ms: number, granularity: 'hour' | 'day', tz: string): string {
  if (granularity === 'day') return localDate(ms, tz);
  const w = wallClock(ms, tz);
  return `${localDate(ms, tz)}T${String(w.hour).padStart(2, '0')}:00`;
}

/** A chart's series: one per group, a point per local day (or hour), zero buckets included. */
export async function getTimeseries({ ctx, input: query }: { ctx: TenantContext; input: SeriesRequest & { granularity: 'hour' | 'day' } }) {
  const input = resolveRange(ctx, query);
  const span = input.to - input.from;
  if (input.granularity === 'hour' && span > 31 * 24 * HOUR_MS) throw new AppError('bad_request', 'hourly series span at most 31 days; use granularity=day');
  const buckets =
    input.granularity === 'day'
      ? localDatesBetween(input.from, input.to - 1, input.tz)
      : Array.from({ length: Math.ceil(span / HOUR_MS) }, (_, i) => bucketLabel(Math.floor(input.from / HOUR_MS) * HOUR_MS + i * HOUR_MS, 'hour', input.tz));
  const series = new Map<string, Map<string, { spend: number; calls: number }>>();
  // Formatting a date in a time zone is slow; every hour bucket is labelled once.
  const labels = new Map<number, string>();
  const [{ cells: found, readFrom }, since] = await Promise.all([cells(ctx, input, true), coverage(ctx, input)]);
  for (const c of found) {
    let label = labels.get(c.bucket);
    if (label === undefined) {
      label = bucketLabel(c.bucket, input.granularity, input.tz);
      labels.set(c.bucket, label);
    }
    const points = series.get(c.key) ?? new Map();
    const p = points.get(label) ?? { spend: 0, calls: 0 };
    p.spend += c.cost;
    p.calls += c.calls;
    points.set(label, p);
    series.set(c.key, points);
  }
  const out = [...series].map(([key, points]) => {
    const total = [...points.values()].reduce((s, p) => s + p.spend, 0);
    return {
      key,
      total: nanosToUsd(total),
      total_nanos: total,
      points: buckets.map((t) => ({ t, spend: nanosToUsd(points.get(t)?.spend ?? 0), calls: points.get(t)?.calls ?? 0 })),
    };
  });
  out.sort((a, b) => b.total_nanos - a.total_nanos);
  return { granularity: input.granularity, group_by: input.group_by, tz: input.tz, buckets, series: out, total: nanosToUsd(out.reduce((s, x) => s + x.total_nanos, 0)), raw_events_since: since, events_read_since: isoOrNull(readFrom) };
}

/** The name the breakdown by API key gives to calls sent with a dashboard session (no key). */
export const SESSION_KEY_NAME = 'dashboard / session';

/** Totals per group for tables: spend, calls, tokens, unpriced calls and share of spend. */
export async function getBreakdown({ ctx, input: query }: { ctx: TenantContext; input: SeriesRequest }) {
  const input = resolveRange(ctx, query);
  const groups = new Map<string, { key: string; provider?: string; model?: string; cost: number; calls: number; input: number; output: number; unpriced: number }>();
  let saved = 0;
  let hits = 0;
  const [{ cells: found, readFrom }, since] = await Promise.all([cells(ctx, input, false), coverage(ctx, input)]);
  for (const c of found) {
    saved += c.saved;
    hits += c.hits;
    const g = groups.get(c.key) ?? { key: c.key, ...(input.group_by === 'model' ? { provider: c.provider, model: c.model } : {}), cost: 0, calls: 0, input: 0, output: 0, unpriced: 0 };
    g.cost += c.cost;
    g.calls += c.calls;
    g.input += c.input;
    g.output += c.output;
    g.unpriced += c.unpriced;
    groups.set(c.key, g);
  }
  const total = [...groups.values()].reduce((s, g) => s + g.cost, 0);
  const labels = input.group_by === 'api_key' ? await keyLabels(ctx, [...groups.keys()]) : undefined;
  const rows = [...groups.values()]
    .sort((a, b) => b.cost - a.cost || b.calls - a.calls)
    .map((g) => ({
      ...(labels ? labels(g.key) : { key: g.key }),
      ...(g.provider ? { provider: g.provider, model: g.model } : {}),
      spend: nanosToUsd(g.cost),
      spend_nanos: g.cost,
      calls: g.calls,
      input_tokens: g.input,
      output_tokens: g.output,
      unpriced_calls: g.unpriced,
      share: total > 0 ? Math.round((g.cost / total) * 10_000) / 10_000 : 0,
    }));
  return { group_by: input.group_by, rows, total: nanosToUsd(total), total_nanos: total, saved: nanosToUsd(saved), saved_nanos: saved, cache_hits: hits, raw_events_since: since, events_read_since: isoOrNull(readFrom) };
}

/** A breakdown row's key, name, prefix and creator by API key: the session's calls under key null. */
async function keyLabels(ctx: TenantContext, keys: string[]) {
  const found = await readKeyLabels({ ctx, input: { ids: keys.filter((k) => k !== '(none)') } });
  return (key: string) => {
    if (key === '(none)') return { key: null, name: SESSION_KEY_NAME, prefix: null, created_by: null };
    const label = found.get(key);
    return { key, name: label?.name ?? '(deleted key)', prefix: label?.prefix ?? null, created_by: label?.createdBy ?? null };
  };
}
