import { HOUR_MS } from '@llmlab/core';
import { type RawBuilder, sql } from 'kysely';
import type { EventsTable, UsageHourlyTable } from './schema.js';

/**
 * The one definition of the hourly rollup: its key columns, its summed columns, what one event
 * adds to each, and the same sum in SQL over raw events. Every writer (the SQLite writer thread,
 * the PostgreSQL upsert, repricing) and the consistency check read it from here.
 */

/** The event fields a rollup row is made from. */
export type RollupSource = Pick<EventsTable, 'project_id' | 'ts' | 'provider' | 'model' | 'feature' | 'status' | 'input_tokens' | 'output_tokens' | 'cached_input_tokens' | 'cache_write_tokens' | 'reasoning_tokens' | 'cost_nanos' | 'latency_ms' | 'cache_hit' | 'saved_nanos' | 'service_tier'>;

export const ROLLUP_KEYS = ['project_id', 'hour', 'provider', 'model', 'feature', 'service_tier'] as const;
export type RollupKey = Pick<UsageHourlyTable, (typeof ROLLUP_KEYS)[number]>;
export type RollupField = Exclude<keyof UsageHourlyTable, (typeof ROLLUP_KEYS)[number]>;

interface Summed {
  /** What one event adds. */
  of(e: RollupSource): number;
  /** The same over the events of a group, in SQL (both dialects). */
  sql: RawBuilder<number>;
}

/** Keyed by column, so no order can bind a value to the wrong one. */
const SUMMED: { [F in RollupField]: Summed } = {
  calls: { of: () => 1, sql: sql`count(*)` },
  error_calls: { of: (e) => (e.status === 'error' ? 1 : 0), sql: sql`sum(case when status = 'error' then 1 else 0 end)` },
  input_tokens: { of: (e) => e.input_tokens, sql: sql`sum(input_tokens)` },
  output_tokens: { of: (e) => e.output_tokens, sql: sql`sum(output_tokens)` },
  cached_input_tokens: { of: (e) => e.cached_input_tokens, sql: sql`sum(cached_input_tokens)` },
  cache_write_tokens: { of: (e) => e.cache_write_tokens, sql: sql`sum(cache_write_tokens)` },
  reasoning_tokens: { of: (e) => e.reasoning_tokens, sql: sql`sum(reasoning_tokens)` },
  cost_nanos: { of: (e) => e.cost_nanos ?? 0, sql: sql`coalesce(sum(cost_nanos), 0)` },
  unpriced_calls: { of: (e) => (e.cost_nanos === null ? 1 : 0), sql: sql`sum(case when cost_nanos is null then 1 else 0 end)` },
  latency_ms_sum: { of: (e) => e.latency_ms ?? 0, sql: sql`coalesce(sum(latency_ms), 0)` },
  cache_hits: { of: (e) => e.cache_hit, sql: sql`coalesce(sum(cache_hit), 0)` },
  saved_nanos: { of: (e) => e.saved_nanos ?? 0, sql: sql`coalesce(sum(saved_nanos), 0)` },
};

/** The summed columns, in the order packed contributions and reports use. */
export const ROLLUP_SUMMED = Object.keys(SUMMED) as RollupField[];
const CONTRIBUTIONS = ROLLUP_SUMMED.map((f) => SUMMED[f].of);

/** The rollup's tier of an event that reported none: it is priced as standard, so it is counted as standard. */
export const UNREPORTED_TIER = 'standard';

/** An event's rollup key: its hour (UTC, from epoch ms), '' for no feature and standard for no tier, as the table stores them. */
export function rollupKeyOf(e: RollupSource): RollupKey {
  return { project_id: e.project_id, hour: Math.floor(e.ts / HOUR_MS) * HOUR_MS, provider: e.provider, model: e.model, feature: e.feature ?? '', service_tier: e.service_tier ?? UNREPORTED_TIER };
}

export function rollupKeyString(k: RollupKey): string {
  return `${k.project_id}\u0000${k.hour}\u0000${k.provider}\u0000${k.model}\u0000${k.feature}\u0000${k.service_tier}`;
}

/** Adds `sign` times one event's contributions to `into`, from `at` on, in ROLLUP_SUMMED's order. */
export function addContribution(e: RollupSource, into: Float64Array | number[], at: number, sign = 1): void {
  for (let k = 0; k < CONTRIBUTIONS.length; k++) into[at + k] += sign * CONTRIBUTIONS[k](e);
}

/** A rollup row of zeros for a key. */
export function emptyRollupRow(key: RollupKey): UsageHourlyTable {
  const row = { ...key } as UsageHourlyTable;
  for (const f of ROLLUP_SUMMED) row[f] = 0;
  return row;
}

/** Each summed column as SQL over raw events, for recomputing the rollups from them. */
export const ROLLUP_SUM_SQL: { [F in RollupField]: RawBuilder<number> } = Object.fromEntries(ROLLUP_SUMMED.map((f) => [f, SUMMED[f].sql])) as { [F in RollupField]: RawBuilder<number> };

/** The computed key columns as SQL over raw events: the hour (ts is a positive integer, so integer division floors it on both dialects), '' for no feature, standard for no tier. */
export const ROLLUP_KEY_SQL = {
  hour: sql<number>`(ts / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}`,
  feature: sql<string>`coalesce(feature, '')`,
  service_tier: sql<string>`coalesce(service_tier, ${sql.lit(UNREPORTED_TIER)})`,
};
