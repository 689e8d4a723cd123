import { HOUR_MS } from '@llmlab/core';
import type { Kysely, Transaction } from 'kysely';
import type { Database, EventsTable, UsageHourlyTable } from '../db/schema.js';

type RollupFields = Pick<EventsTable, 'project_id' | 'ts' | 'provider' | 'model' | 'feature' | 'status' | 'input_tokens' | 'output_tokens' | 'cached_input_tokens' | 'cache_write_tokens' | 'reasoning_tokens' | 'cost_nanos' | 'latency_ms'>;

/**
 * Sums events into hourly rollup deltas keyed by (project, hour, provider, model, feature):
 * `added` count up, `removed` count down (a repriced event is removed as it was, added as it is).
 * One row per key, as PostgreSQL's upsert cannot touch a row twice in one statement.
 */
export function rollupDeltas(added: readonly RollupFields[], removed: readonly RollupFields[] = []): UsageHourlyTable[] {
  const byKey = new Map<string, UsageHourlyTable>();
  const entries: [RollupFields, 1 | -1][] = [...added.map((e) => [e, 1] as [RollupFields, 1]), ...removed.map((e) => [e, -1] as [RollupFields, -1])];
  for (const [e, sign] of entries) {
    const hour = Math.floor(e.ts / HOUR_MS) * HOUR_MS;
    const feature = e.feature ?? '';
    const key = `${e.project_id}\u0000${hour}\u0000${e.provider}\u0000${e.model}\u0000${feature}`;
    let row = byKey.get(key);
    if (!row) {
      row = {
        project_id: e.project_id, hour, provider: e.provider, model: e.model, feature,
        calls: 0, error_calls: 0, input_tokens: 0, output_tokens: 0, cached_input_tokens: 0,
        cache_write_tokens: 0, reasoning_tokens: 0, cost_nanos: 0, unpriced_calls: 0, latency_ms_sum: 0,
      };
      byKey.set(key, row);
    }
    row.calls += sign;
    row.error_calls += e.status === 'error' ? sign : 0;
    row.input_tokens += sign * e.input_tokens;
    row.output_tokens += sign * e.output_tokens;
    row.cached_input_tokens += sign * e.cached_input_tokens;
    row.cache_write_tokens += sign * e.cache_write_tokens;
    row.reasoning_tokens += sign * e.reasoning_tokens;
    row.cost_nanos += sign * (e.cost_nanos ?? 0);
    row.unpriced_calls += e.cost_nanos === null ? sign : 0;
    row.latency_ms_sum += sign * (e.latency_ms ?? 0);
  }
  // A fixed order makes concurrent upserts on PostgreSQL take row locks in the same order (no deadlocks).
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

const SUMMED = [
  'calls', 'error_calls', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens',
  'reasoning_tokens', 'cost_nanos', 'unpriced_calls', 'latency_ms_sum',
] as const;

/** Adds deltas to the rollup in the caller's transaction: `x = x + excluded.x` on conflict. */
export async function applyRollupDeltas(trx: Kysely<Database> | Transaction<Database>, deltas: UsageHourlyTable[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += 500) {
    await trx
      .insertInto('usage_hourly')
      .values(deltas.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['project_id', 'hour', 'provider', 'model', 'feature']).doUpdateSet((eb) =>
          Object.fromEntries(SUMMED.map((col) => [col, eb(`usage_hourly.${col}`, '+', eb.ref(`excluded.${col}`))])),
        ),
      )
      .execute();
  }
}
