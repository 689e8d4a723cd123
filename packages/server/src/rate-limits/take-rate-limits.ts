import { bucketAt, bucketMs, type CoveringLimit, countsAt, currentAllowance, METRIC_WINDOWS, RATE_LIMIT_METRICS, type RateLimitMetric } from '@llmlab/core';
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import './tables.js';

/** What one call counts against each metric: 1 request, its tokens, its cost in nanodollars. */
export type CallAmounts = Record<RateLimitMetric, number>;

/** One window a call was counted in, or refused by, with what its buckets hold. */
export interface WindowState {
  limit: CoveringLimit;
  metric: RateLimitMetric;
  /** Bucket counts, oldest first and the current bucket last; the call is included when it was admitted. */
  counts: number[];
  /** How far into the current bucket the call came. */
  elapsed: number;
}

export type Taken = { ok: true; windows: WindowState[] } | { ok: false; refused: WindowState; amount: number };

class Refused extends Error {
  constructor(
    readonly refused: WindowState,
    readonly amount: number,
  ) {
    super('rate limited');
  }
}

/**
 * Counts a call in every window of the limits that cover it, or in none: one transaction, and
 * a window that has no room refuses the call and rolls the others back. Each bucket is added to
 * with one upsert whose condition is the room left (`amount + this call <= allowance`), checked
 * against the row as it is when the upsert runs: PostgreSQL locks the row for the statement and
 * the transaction, so calls on any number of servers add to it one after another and none
 * passes the allowance; SQLite runs one transaction at a time. The allowance comes from the
 * window's earlier buckets, which no longer change once the clock has left them: the clock is
 * read inside the transaction, so on SQLite a call's bucket follows the order of the commits,
 * and on PostgreSQL only a call that read the clock just before a bucket boundary and commits
 * after it can add to a bucket another server already counts as past (docs/controls.md).
 */
export async function takeRateLimits(ctx: AppContext, projectId: string, limits: CoveringLimit[], amounts: CallAmounts, clock: () => number): Promise<Taken> {
  try {
    const windows = await ctx.db.transaction(async (trx) => {
      const now = clock();
      const out: WindowState[] = [];
      for (const limit of limits) {
        const metrics = RATE_LIMIT_METRICS.filter((m) => limit.rule.limits[m] !== undefined);
        const stored = await readBuckets(trx, projectId, limit, metrics, now);
        for (const metric of metrics) out.push(await take(trx, projectId, limit, metric, amounts[metric], stored, now));
      }
      return out;
    });
    return { ok: true, windows };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, refused: err.refused, amount: err.amount };
    throw err;
  }
}

type StoredBucket = { metric: string; start: number; amount: number };

/** The limit's stored buckets of its value that some of its windows still span, in one read. */
async function readBuckets(trx: Transaction<Database>, projectId: string, limit: CoveringLimit, metrics: RateLimitMetric[], now: number): Promise<StoredBucket[]> {
  const earliest = Math.min(...metrics.map((m) => bucketAt(METRIC_WINDOWS[m], now).start - METRIC_WINDOWS[m].windowMs));
  const rows = await trx
    .selectFrom('rate_limit_counters')
    .select(['metric', 'bucket_start', 'amount'])
    .where('limit_id', '=', limit.rule.id)
    .where('value', '=', limit.value)
    .where('bucket_start', '>=', earliest)
    .where('project_id', '=', projectId)
    .execute();
  return rows.map((r) => ({ metric: r.metric, start: Number(r.bucket_start), amount: Number(r.amount) }));
}

async function take(trx: Transaction<Database>, projectId: string, limit: CoveringLimit, metric: RateLimitMetric, amount: number, stored: StoredBucket[], now: number): Promise<WindowState> {
  const w = METRIC_WINDOWS[metric];
  const { start, elapsed } = bucketAt(w, now);
  const counts = countsAt(w, now, stored.filter((b) => b.metric === metric));
  const state: WindowState = { limit, metric, counts, elapsed };
  const allowance = currentAllowance(w, limit.rule.limits[metric] as number, counts, elapsed);
  // The current bucket only grows, so a count read too high to fit is final; one that fits is checked again by the upsert.
  if (counts[w.buckets] + amount > allowance) throw new Refused(state, amount);
  const key = { limit_id: limit.rule.id, value: limit.value, metric, bucket_start: start };
  const row = await trx
    .insertInto('rate_limit_counters')
    .values({ ...key, project_id: projectId, amount, expires_at: start + bucketMs(w) + w.windowMs })
    .onConflict((oc) =>
      oc
        .columns(['limit_id', 'value', 'metric', 'bucket_start'])
        .doUpdateSet((eb) => ({ amount: eb('rate_limit_counters.amount', '+', eb.ref('excluded.amount')) }))
        .where((eb) => eb(eb('rate_limit_counters.amount', '+', eb.ref('excluded.amount')), '<=', allowance)),
    )
    .returning('amount')
    .executeTakeFirst();
  if (!row) {
    // Calls counted since the read filled the bucket: refused, with the count as it is now.
    const current = await trx.selectFrom('rate_limit_counters').select('amount').where('limit_id', '=', key.limit_id).where('value', '=', key.value).where('metric', '=', metric).where('bucket_start', '=', start).where('project_id', '=', projectId).executeTakeFirst();
    counts[w.buckets] = Number(current?.amount ?? allowance);
    throw new Refused(state, amount);
  }
  counts[w.buckets] = Number(row.amount);
  return state;
}

const lastSweep = new WeakMap<object, number>();
const SWEEP_EVERY_MS = 60_000;

/** Deletes buckets no window spans any more, of every project, at most once a minute per process; a failure waits for the next. */
export function sweepCounters(ctx: AppContext, now: number): void {
  if (now - (lastSweep.get(ctx.db) ?? Number.NEGATIVE_INFINITY) < SWEEP_EVERY_MS) return;
  lastSweep.set(ctx.db, now);
  ctx.db.kysely
    .deleteFrom('rate_limit_counters')
    .where('expires_at', '<=', now)
    .execute()
    .catch((err: unknown) => ctx.log.warn('rate limit counters not swept', { error: (err as Error).message }));
}
