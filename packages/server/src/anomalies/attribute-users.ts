import { type Anomaly, type AnomalyPoint, attributeDrivers, HOUR_MS, planBaseline, referenceIndices } from '@llmlab/core';
import type { TenantContext } from '../context.js';

/** Anomalies whose end users are looked up in the events: the most recent ones. */
const MAX_LOOKUPS = 20;

/**
 * Rollups do not keep end users, so the user split of an anomaly's bucket and of its
 * comparable buckets is read from the events, and the user drivers added.
 */
export async function attributeUsers(ctx: TenantContext, anomalies: Anomaly[], starts: readonly number[]): Promise<Anomaly[]> {
  const index = new Map(starts.map((s, i) => [s, i]));
  const bucketEnd = (i: number, granularity: Anomaly['granularity']) => starts[i + 1] ?? starts[i] + (granularity === 'hour' ? HOUR_MS : 24 * HOUR_MS);
  const out: Anomaly[] = [];
  for (const [n, a] of anomalies.entries()) {
    const t = index.get(a.at);
    if (n >= MAX_LOOKUPS || t === undefined) {
      out.push(a);
      continue;
    }
    const refs = referenceIndices(t, planBaseline(a.granularity, t));
    const points = await Promise.all(
      [t, ...refs].map(async (i): Promise<AnomalyPoint> => {
        const rows = await ctx.db.kysely
          .selectFrom('events')
          .where('project_id', '=', ctx.actor.projectId)
          .where('ts', '>=', starts[i])
          .where('ts', '<', bucketEnd(i, a.granularity))
          .where('end_user', 'is not', null)
          .$if(a.dimension === 'feature', (q) => q.where('feature', a.key === '(none)' ? 'is' : '=', a.key === '(none)' ? null : a.key))
          .$if(a.dimension === 'model', (q) => q.where('provider', '=', a.key.slice(0, a.key.indexOf('/'))).where('model', '=', a.key.slice(a.key.indexOf('/') + 1)))
          .select((eb) => ['end_user', eb.fn.sum<number>('cost_nanos').as('cost')])
          .groupBy('end_user')
          .execute();
        const user = Object.fromEntries(rows.map((r) => [r.end_user as string, Number(r.cost ?? 0)]));
        return { at: starts[i], spend_nanos: 0, calls: 0, input_tokens: 0, output_tokens: 0, contributions: { user } };
      }),
    );
    const users = attributeDrivers(points[0], points.slice(1), a.excess_nanos);
    out.push({ ...a, drivers: [...a.drivers, ...users] });
  }
  return out;
}
