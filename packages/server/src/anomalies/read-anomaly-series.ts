import { type AnomalyGranularity, type AnomalyPoint, type AnomalySeries, addDays, HOUR_MS, startOfDay } from '@llmlab/core';
import { sql } from 'kysely';
import type { TenantContext } from '../context.js';
import { rollupQuery } from '../usage/read-rollups.js';

/** Series per model and per feature are kept to the biggest spenders: enough to find a driver. */
const MAX_SERIES_PER_DIMENSION = 20;

function emptyPoint(at: number): AnomalyPoint {
  return { at, spend_nanos: 0, calls: 0, input_tokens: 0, output_tokens: 0, contributions: { model: {}, feature: {} } };
}

/** Bucket starts from `from` to `now`: local days in `tz`, or UTC hours. */
function bucketStarts(granularity: AnomalyGranularity, from: number, now: number, tz: string): number[] {
  const out: number[] = [];
  if (granularity === 'hour') {
    for (let t = Math.floor(from / HOUR_MS) * HOUR_MS; t <= now; t += HOUR_MS) out.push(t);
    return out;
  }
  for (let t = startOfDay(from, tz); t <= now && out.length < 1000; t = addDays(t, 1, tz)) out.push(t);
  return out;
}

/**
 * The index in `starts` of the bucket an hourly rollup row falls in, as SQL; -1 before the
 * first. Hours index themselves; a local day is the last start at or before the hour, which
 * is the day `startOfDay` gives it (literals, so PostgreSQL sees one expression in SELECT and GROUP BY).
 */
function bucketIndex(granularity: AnomalyGranularity, starts: readonly number[]) {
  if (granularity === 'hour') return sql<number>`(hour - ${sql.lit(starts[0])}) / ${sql.lit(HOUR_MS)}`;
  const whens = starts.map((s, i) => sql`when hour < ${sql.lit(s)} then ${sql.lit(i - 1)}`);
  return sql<number>`case ${sql.join(whens, sql` `)} else ${sql.lit(starts.length - 1)} end`;
}

/**
 * The project's spend, calls and tokens per bucket from the hourly rollups, as one series for
 * the project and one per model and per feature, with the model and feature split of each bucket.
 */
export async function readAnomalySeries(
  ctx: TenantContext,
  input: { granularity: AnomalyGranularity; from: number; now: number; tz: string },
): Promise<AnomalySeries[]> {
  const { granularity, from, now, tz } = input;
  const starts = bucketStarts(granularity, from, now, tz);
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const bucket = bucketIndex(granularity, starts);
  // Summed per bucket by the database: a day's 24 hours arrive as one row per model and feature.
  const rows = await rollupQuery(ctx, Math.floor(starts[0] / HOUR_MS) * HOUR_MS, end)
    .select((eb) => [
      bucket.as('bucket'), 'provider', 'model', 'feature',
      eb.fn.sum<number>('calls').as('calls'),
      eb.fn.sum<number>('input_tokens').as('input_tokens'),
      eb.fn.sum<number>('output_tokens').as('output_tokens'),
      eb.fn.sum<number>('cost_nanos').as('cost_nanos'),
    ])
    .groupBy([bucket, 'provider', 'model', 'feature'])
    .execute();
  const project = starts.map(emptyPoint);
  const byKey = { model: new Map<string, AnomalyPoint[]>(), feature: new Map<string, AnomalyPoint[]>() };
  const spendOf = { model: new Map<string, number>(), feature: new Map<string, number>() };
  for (const r of rows) {
    const i = Number(r.bucket);
    if (i < 0) continue;
    const keys = { model: `${r.provider}/${r.model}`, feature: r.feature || '(none)' };
    const cost = Number(r.cost_nanos);
    const targets = [project[i]];
    for (const kind of ['model', 'feature'] as const) {
      let series = byKey[kind].get(keys[kind]);
      if (!series) {
        series = starts.map(emptyPoint);
        byKey[kind].set(keys[kind], series);
      }
      targets.push(series[i]);
      spendOf[kind].set(keys[kind], (spendOf[kind].get(keys[kind]) ?? 0) + cost);
    }
    for (const p of targets) {
      p.spend_nanos += cost;
      p.calls += Number(r.calls);
      p.input_tokens += Number(r.input_tokens);
      p.output_tokens += Number(r.output_tokens);
      for (const kind of ['model', 'feature'] as const) {
        const split = p.contributions?.[kind] as Record<string, number>;
        split[keys[kind]] = (split[keys[kind]] ?? 0) + cost;
      }
    }
  }
  // Buckets before the project's first call are before it existed, not quiet days.
  const first = Math.max(0, project.findIndex((p) => p.calls > 0));
  const series: AnomalySeries[] = [{ dimension: 'project', key: 'all', granularity, points: project.slice(first) }];
  for (const kind of ['model', 'feature'] as const) {
    const top = [...spendOf[kind]].sort((a, b) => b[1] - a[1]).slice(0, MAX_SERIES_PER_DIMENSION);
    for (const [key] of top) series.push({ dimension: kind, key, granularity, points: (byKey[kind].get(key) ?? []).slice(first) });
  }
  return series;
}
