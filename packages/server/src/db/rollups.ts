import type { Kysely, Transaction } from 'kysely';
import type { Database, UsageHourlyTable } from './schema.js';
import { addContribution, emptyRollupRow, ROLLUP_KEYS, ROLLUP_SUMMED, type RollupSource, rollupKeyOf, rollupKeyString } from './rollup-shape.js';

/**
 * Sums events into hourly rollup deltas keyed by (project, hour, provider, model, feature):
 * `added` count up, `removed` count down (a repriced event is removed as it was, added as it is).
 * One row per key, as PostgreSQL's upsert cannot touch a row twice in one statement.
 */
export function rollupDeltas(added: readonly RollupSource[], removed: readonly RollupSource[] = []): UsageHourlyTable[] {
  const byKey = new Map<string, { key: UsageHourlyTable; sums: number[] }>();
  const add = (e: RollupSource, sign: 1 | -1) => {
    const key = rollupKeyOf(e);
    const id = rollupKeyString(key);
    let entry = byKey.get(id);
    if (!entry) {
      entry = { key: emptyRollupRow(key), sums: new Array(ROLLUP_SUMMED.length).fill(0) };
      byKey.set(id, entry);
    }
    addContribution(e, entry.sums, 0, sign);
  };
  for (const e of added) add(e, 1);
  for (const e of removed) add(e, -1);
  // A fixed order makes concurrent upserts on PostgreSQL take row locks in the same order (no deadlocks).
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { key, sums }]) => {
      ROLLUP_SUMMED.forEach((f, k) => {
        key[f] = sums[k];
      });
      return key;
    });
}

/** Adds deltas to the rollup in the caller's transaction: `x = x + excluded.x` on conflict. */
export async function applyRollupDeltas(trx: Kysely<Database> | Transaction<Database>, deltas: UsageHourlyTable[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += 500) {
    await trx
      .insertInto('usage_hourly')
      .values(deltas.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns([...ROLLUP_KEYS]).doUpdateSet((eb) => Object.fromEntries(ROLLUP_SUMMED.map((col) => [col, eb(`usage_hourly.${col}`, '+', eb.ref(`excluded.${col}`))]))),
      )
      .execute();
  }
}
