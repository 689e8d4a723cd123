import type SQLite from 'better-sqlite3';
import { ROLLUP_KEYS, ROLLUP_SUMMED } from '../rollup-shape.js';
import { rollupDeltas } from '../rollups.js';
import type { Kysely } from 'kysely';
import type { Database, EventInsert } from '../schema.js';

/** Every column of an event row, once: a record, so the compiler refuses a missing or unknown one. */
const EVENT_COLUMN_SET: Record<keyof EventInsert, true> = {
  id: true, project_id: true, event_id: true, ts: true, provider: true, model: true, input_tokens: true, output_tokens: true,
  cached_input_tokens: true, cache_write_tokens: true, reasoning_tokens: true, cost_nanos: true, price_source: true,
  latency_ms: true, status: true, error_type: true, feature: true, end_user: true, environment: true, source: true,
  api_key_id: true, request_hash: true, tags: true, metadata: true, received_at: true, cache_hit: true, saved_nanos: true,
  session_id: true,
  service_tier: true,
};
/** The insert's column order: every writer binds by this list. */
export const EVENT_COLUMNS = Object.keys(EVENT_COLUMN_SET) as (keyof EventInsert)[];

const ROLLUP_COLUMNS = [...ROLLUP_KEYS, ...ROLLUP_SUMMED];

/** The event insert, positional parameters in EVENT_COLUMNS' order (binding an object by names costs about as much as the insert). */
export function insertEventSql(): string {
  return `insert into events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')}) on conflict (project_id, event_id) do nothing`;
}

/** The rollup upsert, positional parameters: ROLLUP_KEYS then ROLLUP_SUMMED. */
export function upsertRollupSql(): string {
  return `insert into usage_hourly (${ROLLUP_COLUMNS.join(', ')}) values (${ROLLUP_COLUMNS.map(() => '?').join(', ')})
     on conflict (${ROLLUP_KEYS.join(', ')}) do update set ${ROLLUP_SUMMED.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
}

interface Statements {
  insert: SQLite.Statement;
  upsert: SQLite.Statement;
  write: (rows: EventInsert[]) => Set<string>;
}

const prepared = new WeakMap<SQLite.Database, Statements>();

function statements(sqlite: SQLite.Database): Statements {
  let s = prepared.get(sqlite);
  if (s) return s;
  const insert = sqlite.prepare(insertEventSql());
  const upsert = sqlite.prepare(upsertRollupSql());
  const values = new Array<unknown>(EVENT_COLUMNS.length);
  const write = sqlite.transaction((rows: EventInsert[]) => {
    const inserted = new Set<string>();
    const fresh: EventInsert[] = [];
    for (const row of rows) {
      for (let i = 0; i < EVENT_COLUMNS.length; i++) values[i] = row[EVENT_COLUMNS[i]];
      if (insert.run(values).changes === 1) {
        inserted.add(row.id);
        fresh.push(row);
      }
    }
    for (const delta of rollupDeltas(fresh)) upsert.run(ROLLUP_COLUMNS.map((c) => delta[c]));
    return inserted;
  });
  s = { insert, upsert, write };
  prepared.set(sqlite, s);
  return s;
}

/**
 * The SQLite write of a group of events: one synchronous transaction of single-row prepared
 * inserts (faster on SQLite than one huge multi-row statement with RETURNING), run while holding
 * Kysely's connection so no other query can interleave with it.
 */
export async function insertEventsSqlite(kysely: Kysely<Database>, sqlite: SQLite.Database, rows: EventInsert[]): Promise<Set<string>> {
  return kysely.connection().execute(async () => statements(sqlite).write(rows));
}
