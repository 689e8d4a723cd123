import { HOUR_MS } from '@llmlab/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, UsageHourlyTable } from '../db/schema.js';

/** The summed columns of a rollup row, in the order differences are reported. */
export const ROLLUP_FIELDS = [
  'calls', 'error_calls', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens',
  'reasoning_tokens', 'cost_nanos', 'unpriced_calls', 'latency_ms_sum',
] as const;

export type RollupField = (typeof ROLLUP_FIELDS)[number];

export interface RollupKey {
  project_id: string;
  hour: number;
  provider: string;
  model: string;
  /** '' for events without a feature, as the rollup stores it. */
  feature: string;
}

export interface RollupDifference {
  key: RollupKey;
  field: RollupField;
  stored: number;
  recomputed: number;
}

export interface RollupCheck {
  /** Rollup keys looked at: stored, recomputed, or both. */
  keys_checked: number;
  events_counted: number;
  differences: RollupDifference[];
  /** True when the rollups were rewritten from the events. */
  repaired: boolean;
}

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Recomputes usage_hourly from the raw events of one project (or of every project) and reports
 * each field that differs from what is stored. Both reads see one snapshot, so a check that runs
 * during ingest reports no false difference. With `repair`, the rollups of the checked projects
 * are rewritten from the events in the same transaction; concurrent writers wait and then add
 * their own deltas on top, so nothing they write is lost.
 */
export async function checkRollups({ db, input }: { db: Db; input: { projectId?: string; repair?: boolean } }): Promise<RollupCheck> {
  const run = async (trx: Executor): Promise<RollupCheck> => {
    if (input.repair && db.dialect === 'postgres') {
      // Blocks rollup upserts (not reads) until commit; each later statement reads after the lock.
      await sql`lock table usage_hourly in share row exclusive mode`.execute(trx);
    }
    const stored = await readStored(trx, input.projectId);
    const recomputed = await recompute(trx, input.projectId);
    const differences = compare(stored, recomputed);
    if (input.repair && differences.length) await rewrite(trx, input.projectId, recomputed);
    const events = [...recomputed.values()].reduce((n, r) => n + r.calls, 0);
    const keys = new Set([...stored.keys(), ...recomputed.keys()]).size;
    return { keys_checked: keys, events_counted: events, differences, repaired: Boolean(input.repair && differences.length) };
  };
  if (db.dialect === 'postgres') {
    const trx = db.kysely.transaction();
    return input.repair ? trx.execute(run) : trx.setIsolationLevel('repeatable read').execute(run);
  }
  // SQLite: one transaction on the single connection; `begin immediate` when repairing takes the
  // write lock first so no other process can commit between the reads and the rewrite.
  return db.kysely.connection().execute(async (conn) => {
    await sql.raw(input.repair ? 'begin immediate' : 'begin').execute(conn);
    try {
      const result = await run(conn);
      await sql.raw('commit').execute(conn);
      return result;
    } catch (err) {
      await sql.raw('rollback').execute(conn);
      throw err;
    }
  });
}

function keyOf(r: RollupKey): string {
  return `${r.project_id}\u0000${r.hour}\u0000${r.provider}\u0000${r.model}\u0000${r.feature}`;
}

async function readStored(db: Executor, projectId: string | undefined): Promise<Map<string, UsageHourlyTable>> {
  const rows = await db
    .selectFrom('usage_hourly')
    .selectAll()
    .$if(projectId !== undefined, (q) => q.where('project_id', '=', projectId as string))
    .execute();
  return new Map(rows.map((r) => [keyOf(r), toNumbers(r)]));
}

/** The rollups as the events say they should be: the same sums the writer adds up, done by the database. */
async function recompute(db: Executor, projectId: string | undefined): Promise<Map<string, UsageHourlyTable>> {
  // ts is a positive integer, so integer division floors it to the hour on both dialects.
  const hour = sql<number>`(ts / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}`;
  const feature = sql<string>`coalesce(feature, '')`;
  const rows = await db
    .selectFrom('events')
    .select([
      'project_id', 'provider', 'model',
      hour.as('hour'),
      feature.as('feature'),
      sql<number>`count(*)`.as('calls'),
      sql<number>`sum(case when status = 'error' then 1 else 0 end)`.as('error_calls'),
      sql<number>`sum(input_tokens)`.as('input_tokens'),
      sql<number>`sum(output_tokens)`.as('output_tokens'),
      sql<number>`sum(cached_input_tokens)`.as('cached_input_tokens'),
      sql<number>`sum(cache_write_tokens)`.as('cache_write_tokens'),
      sql<number>`sum(reasoning_tokens)`.as('reasoning_tokens'),
      sql<number>`coalesce(sum(cost_nanos), 0)`.as('cost_nanos'),
      sql<number>`sum(case when cost_nanos is null then 1 else 0 end)`.as('unpriced_calls'),
      sql<number>`coalesce(sum(latency_ms), 0)`.as('latency_ms_sum'),
    ])
    .$if(projectId !== undefined, (q) => q.where('project_id', '=', projectId as string))
    .groupBy(['project_id', hour, 'provider', 'model', feature])
    .execute();
  return new Map(rows.map((r) => [keyOf(r), toNumbers(r)]));
}

/** pg returns count(*) as text (int8) in some setups and sums as numeric: make every field a number. */
function toNumbers(r: UsageHourlyTable): UsageHourlyTable {
  const row = { ...r, hour: Number(r.hour) };
  for (const f of ROLLUP_FIELDS) row[f] = Number(r[f]);
  return row;
}

/** A key missing on one side counts as all zeros there (a rollup row may sit at zero after a reprice). */
function compare(stored: Map<string, UsageHourlyTable>, recomputed: Map<string, UsageHourlyTable>): RollupDifference[] {
  const differences: RollupDifference[] = [];
  const keys = [...new Set([...stored.keys(), ...recomputed.keys()])].sort();
  for (const k of keys) {
    const s = stored.get(k);
    const r = recomputed.get(k);
    const row = (s ?? r) as UsageHourlyTable;
    const key = { project_id: row.project_id, hour: row.hour, provider: row.provider, model: row.model, feature: row.feature };
    for (const field of ROLLUP_FIELDS) {
      const a = s?.[field] ?? 0;
      const b = r?.[field] ?? 0;
      if (a !== b) differences.push({ key, field, stored: a, recomputed: b });
    }
  }
  return differences;
}

async function rewrite(db: Executor, projectId: string | undefined, rows: Map<string, UsageHourlyTable>): Promise<void> {
  await db
    .deleteFrom('usage_hourly')
    .$if(projectId !== undefined, (q) => q.where('project_id', '=', projectId as string))
    .execute();
  const values = [...rows.values()];
  for (let i = 0; i < values.length; i += 500) await db.insertInto('usage_hourly').values(values.slice(i, i + 500)).execute();
}
