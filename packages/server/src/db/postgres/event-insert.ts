import { type Kysely, type RawBuilder, sql } from 'kysely';
import { ROLLUP_KEYS, ROLLUP_SUMMED, type RollupField } from '../rollup-shape.js';
import { rollupDeltas } from '../rollups.js';
import type { Database, EventInsert, UsageHourlyTable } from '../schema.js';

type ColumnType = 'text' | 'bigint' | 'integer' | 'jsonb';
type Value = string | number | null;

/** Every event column with its type: a record, so the compiler refuses a missing or unknown one. */
const EVENT_COLUMN_TYPES: Record<keyof EventInsert, ColumnType> = {
  id: 'text', project_id: 'text', event_id: 'text', ts: 'bigint', provider: 'text', model: 'text', input_tokens: 'bigint', output_tokens: 'bigint',
  cached_input_tokens: 'bigint', cache_write_tokens: 'bigint', reasoning_tokens: 'bigint', cost_nanos: 'bigint', price_source: 'text',
  latency_ms: 'integer', status: 'text', error_type: 'text', feature: 'text', end_user: 'text', environment: 'text', source: 'text',
  api_key_id: 'text', request_hash: 'text', tags: 'jsonb', metadata: 'jsonb', received_at: 'bigint', cache_hit: 'integer', saved_nanos: 'bigint',
  session_id: 'text',
  service_tier: 'text',
};

const ROLLUP_COLUMN_TYPES: Record<keyof UsageHourlyTable, ColumnType> = {
  project_id: 'text', hour: 'bigint', provider: 'text', model: 'text', feature: 'text', service_tier: 'text',
  ...(Object.fromEntries(ROLLUP_SUMMED.map((c) => [c, 'bigint'])) as Record<RollupField, 'bigint'>),
};

/**
 * A PostgreSQL array literal (`{"a","b",NULL,3}`), built here rather than by node-postgres, which
 * runs a type dispatch and two regular expressions per element and took twice as long on a
 * 1,000-row batch. Inside double quotes only `"` and `\` need a backslash.
 */
export function arrayLiteral(values: readonly Value[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += `"${/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `${out}}`;
}

/**
 * `select ... from unnest($1::t[], ...) as u(...)` over the rows: each column one array parameter,
 * so a statement of any number of rows has at most as many parameters as the table has columns
 * (no 65,535-parameter limit, nothing that grows with the batch for Kysely to build or
 * PostgreSQL to parse). A column whose value every row shares (the project, the key, the
 * arrival time of one request, the many nulls) goes as one value instead; the first column is
 * always an array, so that unnest has the row count.
 */
function selectRows<R extends { [C in keyof R]: Value }>(rows: readonly R[], types: { [C in keyof R]: ColumnType }): RawBuilder<unknown> {
  const columns = Object.keys(types) as (keyof R & string)[];
  const selected: RawBuilder<unknown>[] = [];
  const arrays: RawBuilder<unknown>[] = [];
  const names: RawBuilder<unknown>[] = [];
  columns.forEach((c, k) => {
    const first = rows[0][c];
    const shared = k > 0 && rows.every((r) => r[c] === first);
    if (shared) {
      selected.push(sql`${first}::${sql.raw(types[c])}`);
      return;
    }
    arrays.push(sql`${arrayLiteral(rows.map((r) => r[c]))}::${sql.raw(types[c])}[]`);
    names.push(sql.ref(c));
    selected.push(sql.ref(`u.${c}`));
  });
  return sql`select ${sql.join(selected)} from unnest(${sql.join(arrays)}) as u(${sql.join(names)})`;
}

const columnList = (types: object) => sql.join(Object.keys(types).map((c) => sql.ref(c)));

/** Orders rows by (event_id, project_id): concurrent transactions then wait on each other's new keys in one order (no deadlocks). */
function byEventKey(a: EventInsert, b: EventInsert): number {
  if (a.event_id !== b.event_id) return a.event_id < b.event_id ? -1 : 1;
  return a.project_id < b.project_id ? -1 : a.project_id > b.project_id ? 1 : 0;
}

/**
 * The PostgreSQL write of a group of events, in the caller's transaction, in two statements
 * whatever the group's size: the rows whose (project_id, event_id) is not stored yet are
 * inserted (`on conflict do nothing returning id`), then the new rows' rollup deltas, summed
 * per key here, are added to the hourly rollups in one upsert (`x = x + excluded.x`), keys in
 * a fixed order so that concurrent writers lock them in the same order (no deadlocks) and each
 * adds to what the last one committed (no lost update).
 */
export async function insertEventsPostgres(trx: Kysely<Database>, rows: EventInsert[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const ordered = [...rows].sort(byEventKey);
  const inserted = await sql<Pick<EventInsert, 'id'>>`insert into events (${columnList(EVENT_COLUMN_TYPES)})
    ${selectRows(ordered, EVENT_COLUMN_TYPES)}
    on conflict (project_id, event_id) do nothing
    returning id`.execute(trx);
  const ids = new Set(inserted.rows.map((r) => r.id));
  const deltas = rollupDeltas(ids.size === rows.length ? rows : rows.filter((r) => ids.has(r.id)));
  if (deltas.length) {
    await sql`insert into usage_hourly (${columnList(ROLLUP_COLUMN_TYPES)})
      ${selectRows(deltas, ROLLUP_COLUMN_TYPES)}
      on conflict (${sql.join(ROLLUP_KEYS.map((c) => sql.ref(c)))})
      do update set ${sql.join(ROLLUP_SUMMED.map((c) => sql`${sql.ref(c)} = ${sql.ref(`usage_hourly.${c}`)} + ${sql.ref(`excluded.${c}`)}`))}`.execute(trx);
  }
  return ids;
}
