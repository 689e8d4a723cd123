import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, UsageHourlyTable } from '../db/schema.js';
import { ROLLUP_KEY_SQL, ROLLUP_SUM_SQL, ROLLUP_SUMMED, type RollupField, type RollupKey, rollupKeyString } from '../db/rollup-shape.js';

export type { RollupField, RollupKey };

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
 * their own deltas on top, so nothing they write is lost. Only the hours that start at or after
 * a project's `raw_events_since` are checked and rewritten: retention removed the raw events
 * before it (part of the hour it falls in), and the rollups are all that holds them.
 */
export async function checkRollups({ db, input }: { db: Db; input: { projectId?: string; repair?: boolean } }): Promise<RollupCheck> {
  // Repairing: no other writer commits between the reads and the rewrite, and the reads share one
  // snapshot (a retention run removing events meanwhile cannot make the rewrite drop them);
  // checking: one snapshot.
  const options = input.repair ? { snapshot: true, exclusive: ['usage_hourly' as const] } : { snapshot: true };
  return db.transaction(async (trx) => {
    const stored = await readStored(trx, input.projectId);
    const recomputed = await recompute(trx, input.projectId);
    const differences = compare(stored, recomputed);
    if (input.repair && differences.length) await rewrite(trx, input.projectId, recomputed);
    const events = [...recomputed.values()].reduce((n, r) => n + r.calls, 0);
    const keys = new Set([...stored.keys(), ...recomputed.keys()]).size;
    return { keys_checked: keys, events_counted: events, differences, repaired: Boolean(input.repair && differences.length) };
  }, options);
}

async function readStored(db: Executor, projectId: string | undefined): Promise<Map<string, UsageHourlyTable>> {
  const rows = await db
    .selectFrom('usage_hourly')
    .innerJoin('projects', 'projects.id', 'usage_hourly.project_id')
    .selectAll('usage_hourly')
    .where((eb) => eb.or([eb('projects.raw_events_since', 'is', null), eb('usage_hourly.hour', '>=', eb.ref('projects.raw_events_since'))]))
    .$if(projectId !== undefined, (q) => q.where('usage_hourly.project_id', '=', projectId as string))
    .execute();
  return new Map(rows.map((r) => [rollupKeyString(r), toNumbers(r)]));
}

/** The rollups as the events say they should be: the sums rollup-shape.ts defines, done by the database. */
async function recompute(db: Executor, projectId: string | undefined): Promise<Map<string, UsageHourlyTable>> {
  const { hour, feature, service_tier } = ROLLUP_KEY_SQL;
  const rows = await db
    .selectFrom('events')
    .innerJoin('projects', 'projects.id', 'events.project_id')
    .select([
      'events.project_id', 'provider', 'model',
      hour.as('hour'),
      feature.as('feature'),
      service_tier.as('service_tier'),
      ...ROLLUP_SUMMED.map((f) => ROLLUP_SUM_SQL[f].as(f)),
    ])
    // Whole hours only: the hour the cutoff falls in lost part of its events.
    .where((eb) => eb.or([eb('projects.raw_events_since', 'is', null), eb(hour, '>=', eb.ref('projects.raw_events_since'))]))
    .$if(projectId !== undefined, (q) => q.where('events.project_id', '=', projectId as string))
    .groupBy(['events.project_id', hour, 'provider', 'model', feature, service_tier])
    .execute();
  return new Map(rows.map((r) => [rollupKeyString(r), toNumbers(r)]));
}

/** pg returns count(*) as text (int8) in some setups and sums as numeric: make every field a number. */
function toNumbers(r: UsageHourlyTable): UsageHourlyTable {
  const row = { ...r, hour: Number(r.hour) };
  for (const f of ROLLUP_SUMMED) row[f] = Number(r[f]);
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
    const key = { project_id: row.project_id, hour: row.hour, provider: row.provider, model: row.model, feature: row.feature, service_tier: row.service_tier };
    for (const field of ROLLUP_SUMMED) {
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
    // The hours retention left only in the rollups stay as they are.
    .where((eb) => eb('hour', '>=', eb.fn.coalesce(eb.selectFrom('projects').select('raw_events_since').whereRef('projects.id', '=', 'usage_hourly.project_id'), eb.lit(0))))
    .execute();
  const values = [...rows.values()];
  for (let i = 0; i < values.length; i += 500) await db.insertInto('usage_hourly').values(values.slice(i, i + 500)).execute();
}
