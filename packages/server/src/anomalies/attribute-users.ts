import { type Anomaly, type AnomalyPoint, attributeDrivers, HOUR_MS, planBaseline, referenceIndices } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { readRawEventsSince } from '../retention/raw-events-since.js';
import { rollupQuery, type UsageFilters } from '../usage/read-rollups.js';

/** Anomalies whose end users are looked up in the events: the most recent ones. */
const MAX_LOOKUPS = 8;
/** Users compared per anomaly: the biggest spenders of its busiest hour. */
const CANDIDATES = 10;

interface Span {
  start: number;
  end: number;
}

/**
 * Rollups do not keep end users, so the user drivers of an anomaly are read from the events, in
 * ranges that stay small at any volume: the biggest spenders of the anomaly's busiest hour (the
 * hour of its bucket with the most spend in its dimension, from the rollups) are the candidates,
 * and their spend in the anomaly's bucket and its comparable buckets is summed through the
 * (project, end user, time) index. A user who drove a share of the excess spent in its busiest
 * hour; one who spent nothing there is not named. Only buckets whose raw events retention kept
 * are compared (a removed week would look like users spending nothing), and only when at least
 * half the comparable buckets are kept.
 */
export async function attributeUsers(ctx: TenantContext, anomalies: Anomaly[], starts: readonly number[]): Promise<Anomaly[]> {
  const index = new Map(starts.map((s, i) => [s, i]));
  const bucketEnd = (i: number, granularity: Anomaly['granularity']) => starts[i + 1] ?? starts[i] + (granularity === 'hour' ? HOUR_MS : 24 * HOUR_MS);
  const since = anomalies.length ? await readRawEventsSince(ctx) : null;
  const kept = (i: number) => since === null || starts[i] >= since;
  // Anomalies of one bucket and series (spend and tokens per call) share their lookup.
  const lookups = new Map<string, Promise<AnomalyPoint[] | null>>();
  return Promise.all(
    anomalies.map(async (a, n) => {
      const t = index.get(a.at);
      const comparable = t === undefined ? [] : referenceIndices(t, planBaseline(a.granularity, t));
      const refs = comparable.filter(kept);
      if (n >= MAX_LOOKUPS || t === undefined || !kept(t) || refs.length < comparable.length / 2) return a;
      const id = `${t}\u0000${a.dimension}\u0000${a.key}`;
      let points = lookups.get(id);
      if (!points) {
        points = userSplits(ctx, a, [t, ...refs].map((i) => ({ start: starts[i], end: bucketEnd(i, a.granularity) })));
        lookups.set(id, points);
      }
      const found = await points;
      return found ? { ...a, drivers: [...a.drivers, ...attributeDrivers(found[0], found.slice(1), a.excess_nanos)] } : a;
    }),
  );
}

/** The anomaly's series as rollup filters. */
function seriesFilters(a: Anomaly): UsageFilters {
  if (a.dimension === 'feature') return { feature: a.key };
  if (a.dimension === 'model') {
    const cut = a.key.indexOf('/');
    return { provider: a.key.slice(0, cut), model: a.key.slice(cut + 1) };
  }
  return {};
}

/** Events of the actor's project with an end user, in the anomaly's series. */
function seriesEvents(ctx: TenantContext, f: UsageFilters) {
  return ctx.db.kysely
    .selectFrom('events')
    .where('project_id', '=', ctx.actor.projectId)
    .where('end_user', 'is not', null)
    .$if(f.provider !== undefined, (q) => q.where('provider', '=', f.provider as string).where('model', '=', f.model as string))
    .$if(f.feature !== undefined, (q) => (f.feature === '(none)' ? q.where('feature', 'is', null) : q.where('feature', '=', f.feature as string)));
}

/** The candidates' spend in each span (the anomaly's bucket first); null without candidates. */
async function userSplits(ctx: TenantContext, a: Anomaly, spans: Span[]): Promise<AnomalyPoint[] | null> {
  const filters = seriesFilters(a);
  const busiest = await rollupQuery(ctx, spans[0].start, spans[0].end, filters)
    .select((eb) => ['hour', eb.fn.sum<number>('cost_nanos').as('cost')])
    .groupBy('hour')
    .orderBy('cost', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!busiest) return null;
  const hour = Math.max(Number(busiest.hour), spans[0].start);
  const candidates = await seriesEvents(ctx, filters)
    .where('ts', '>=', hour)
    .where('ts', '<', Math.min(Number(busiest.hour) + HOUR_MS, spans[0].end))
    .select((eb) => ['end_user', eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost')])
    .groupBy('end_user')
    .orderBy('cost', 'desc')
    .limit(CANDIDATES)
    .execute();
  if (!candidates.length) return null;
  const users = candidates.map((c) => c.end_user as string);
  return Promise.all(
    spans.map(async (span): Promise<AnomalyPoint> => {
      const rows = await seriesEvents(ctx, filters)
        .where('end_user', 'in', users)
        .where('ts', '>=', span.start)
        .where('ts', '<', span.end)
        .select((eb) => ['end_user', eb.fn.sum<number>('cost_nanos').as('cost')])
        .groupBy('end_user')
        .execute();
      const user = Object.fromEntries(rows.map((r) => [r.end_user as string, Number(r.cost ?? 0)]));
      return { at: span.start, spend_nanos: 0, calls: 0, input_tokens: 0, output_tokens: 0, contributions: { user } };
    }),
  );
}
