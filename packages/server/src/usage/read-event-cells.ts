import { type GroupBy, HOUR_MS } from '@llmlab/core';
import { sql } from 'kysely';
import type { TenantContext } from '../context.js';
import { type EventFilters, eventsQuery } from '../events/list-events.js';

/**
 * Raw events an answer grouped by user or API key, or filtered by user, reads at most: the
 * latest of its range. The rollups keep neither dimension, and a range of a busy project holds
 * tens of millions of events; this many are read in well under a tenth of a second.
 */
export const MAX_EVENTS_READ = 50_000;
/** Series a chart by end user keeps: the biggest spenders; the others are summed as one. */
export const MAX_USER_SERIES = 50;
/** Rows a table by end user keeps: the biggest spenders; the others are summed as one. */
export const MAX_USER_ROWS = 1000;
/** The series or row of the end users past MAX_USER_SERIES or MAX_USER_ROWS. */
export const OTHER_USERS = '(other users)';

/** The bounds above, smaller in tests. */
export interface EventReadLimits {
  maxEvents?: number;
  userSeries?: number;
  userRows?: number;
}

/** Spend and usage of one group (in one hour, for a chart). */
export interface Cell {
  bucket: number;
  key: string;
  provider: string;
  model: string;
  cost: number;
  calls: number;
  input: number;
  output: number;
  unpriced: number;
  saved: number;
  hits: number;
}

/** A group's key computed from an event row; '(none)' where the event has no value. */
const EVENT_KEYS: Record<GroupBy, ReturnType<typeof sql<string>>> = {
  provider: sql<string>`provider`,
  model: sql<string>`provider || '/' || model`,
  feature: sql<string>`coalesce(feature, '(none)')`,
  user: sql<string>`coalesce(end_user, '(none)')`,
  api_key: sql<string>`coalesce(api_key_id, '(none)')`,
  service_tier: sql<string>`coalesce(service_tier, 'standard')`,
};

/**
 * The instant the latest MAX_EVENTS_READ events of the range start after; null when the range
 * holds no more than that. One index range, newest first, up to the row past the limit.
 */
export async function readCut(ctx: TenantContext, f: EventFilters, maxEvents: number): Promise<number | null> {
  const row = await eventsQuery(ctx, f).clearSelect().select('ts').orderBy('ts', 'desc').offset(maxEvents).limit(1).executeTakeFirst();
  return row ? Number(row.ts) : null;
}

/** The biggest spending end users of the range, when there are more than MAX_USER_SERIES. */
async function readTopUsers(ctx: TenantContext, f: EventFilters, n: number): Promise<string[] | null> {
  const key = EVENT_KEYS.user;
  const rows = await eventsQuery(ctx, f)
    .clearSelect()
    .select((eb) => [key.as('key'), eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost')])
    .groupBy(key)
    .orderBy('cost', 'desc')
    .limit(n + 1)
    .execute();
  return rows.length > n ? rows.slice(0, n).map((r) => String(r.key)) : null;
}

/** Spend per key (and per hour when `byHour`) in the range; the biggest spenders first and at most `limit` of them when given. */
async function sums(ctx: TenantContext, f: EventFilters, key: ReturnType<typeof sql<string>>, byHour: boolean, limit?: number): Promise<Cell[]> {
  // Bucket and key computed in a subquery, so the outer GROUP BY names them (the key may hold bound values).
  const events = eventsQuery(ctx, f)
    .clearSelect()
    .select([
      (byHour ? sql<number>`(ts / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}` : sql<number>`0`).as('bucket'),
      key.as('key'),
      'cost_nanos', 'input_tokens', 'output_tokens', 'saved_nanos', 'cache_hit',
    ])
    .as('e');
  const rows = await ctx.db.kysely
    .selectFrom(events)
    .select((eb) => [
      'e.bucket', 'e.key',
      eb.fn.coalesce(eb.fn.sum<number>('e.cost_nanos'), eb.lit(0)).as('cost'),
      eb.fn.countAll<number>().as('calls'),
      eb.fn.sum<number>('e.input_tokens').as('input'),
      eb.fn.sum<number>('e.output_tokens').as('output'),
      eb.fn.sum<number>(eb.case().when('e.cost_nanos', 'is', null).then(1).else(0).end()).as('unpriced'),
      eb.fn.coalesce(eb.fn.sum<number>('e.saved_nanos'), eb.lit(0)).as('saved'),
      eb.fn.sum<number>('e.cache_hit').as('hits'),
    ])
    .groupBy(['e.bucket', 'e.key'])
    .$if(limit !== undefined, (q) => q.orderBy('cost', 'desc').orderBy('e.key').limit(limit as number))
    .execute();
  return rows.map((r) => ({
    bucket: Number(r.bucket), key: String(r.key), provider: '', model: '',
    cost: Number(r.cost), calls: Number(r.calls), input: Number(r.input ?? 0), output: Number(r.output ?? 0),
    unpriced: Number(r.unpriced ?? 0), saved: Number(r.saved), hits: Number(r.hits ?? 0),
  }));
}

const SUMMED = ['cost', 'calls', 'input', 'output', 'unpriced', 'saved', 'hits'] as const;

/** A table by end user: the MAX_USER_ROWS biggest spenders, and the others as one row (the range's total less theirs). */
async function userRows(ctx: TenantContext, f: EventFilters, n: number): Promise<Cell[]> {
  const [top, [total]] = await Promise.all([sums(ctx, f, EVENT_KEYS.user, false, n + 1), sums(ctx, f, sql<string>`''`, false)]);
  if (top.length <= n) return top;
  const kept = top.slice(0, n);
  const others: Cell = { ...total, key: OTHER_USERS };
  for (const c of kept) for (const field of SUMMED) others[field] -= c[field];
  return [...kept, others];
}

/** A chart by end user: a series for each of the MAX_USER_SERIES biggest spenders, and one for the others. */
async function userSeries(ctx: TenantContext, f: EventFilters, n: number): Promise<Cell[]> {
  const top = await readTopUsers(ctx, f, n);
  const user = EVENT_KEYS.user;
  return sums(ctx, f, top ? sql<string>`case when ${user} in (${sql.join(top)}) then ${user} else ${OTHER_USERS} end` : user, true);
}

/**
 * Spend per group (and per hour when `byHour`) from the raw events of [from, to), for answers
 * grouped by end user or API key or filtered by end user: at most the latest MAX_EVENTS_READ
 * events; `readFrom` is the instant they start at when the range held more. By end user, a chart
 * keeps MAX_USER_SERIES series and a table MAX_USER_ROWS rows, the biggest spenders, and sums
 * the others as OTHER_USERS.
 */
export async function readEventCells(
  ctx: TenantContext,
  input: EventFilters & { from: number; to: number; group_by: GroupBy },
  byHour: boolean,
  limits: EventReadLimits = {},
): Promise<{ cells: Cell[]; readFrom: number | null }> {
  const { maxEvents = MAX_EVENTS_READ, userSeries: series = MAX_USER_SERIES, userRows: tableRows = MAX_USER_ROWS } = limits;
  const cut = await readCut(ctx, input, maxEvents);
  const range = cut === null ? input : { ...input, from: cut + 1 };
  const cells =
    input.group_by !== 'user' ? await sums(ctx, range, EVENT_KEYS[input.group_by], byHour) : byHour ? await userSeries(ctx, range, series) : await userRows(ctx, range, tableRows);
  return { cells, readFrom: cut === null ? null : cut + 1 };
}
