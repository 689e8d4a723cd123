import { DAY_MS, HOUR_MS } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { type PeriodicJob, startPeriodicJob } from '../jobs/periodic-job.js';
import { billingRange } from './billing-range.js';
import { RECENT_DAYS } from './reconcile-now.js';
import { syncBilling } from './sync-billing.js';

/** How often the job looks for connections due a sync. */
export const BILLING_INTERVAL_MS = HOUR_MS;
/** The first look after start: soon, so servers that restart more often than hourly still sync. */
export const BILLING_FIRST_RUN_MS = 60_000;
/** A connection is read once a day; after a failed read, again an hour later. */
const SYNC_EVERY_MS = DAY_MS;
const RETRY_AFTER_ERROR_MS = HOUR_MS;
/** A claim older than this belongs to a server that stopped mid-sync: another may take it. */
const CLAIM_EXPIRY_MS = 15 * 60_000;

/**
 * Takes a connection's sync for this server: one conditional update, which exactly one of
 * several servers on the same database wins (the others see it claimed or already synced).
 * The work is calls to the provider, so it is claimed rather than held in a locked transaction.
 */
async function claim(ctx: AppContext, id: string, now: number): Promise<boolean> {
  const result = await ctx.db.kysely
    .updateTable('billing_connections')
    .set({ sync_claimed_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('sync_claimed_at', 'is', null), eb('sync_claimed_at', '<', now - CLAIM_EXPIRY_MS)]))
    .where((eb) =>
      eb.or([
        eb('last_sync_at', 'is', null),
        eb('last_sync_at', '<=', now - SYNC_EVERY_MS),
        eb.and([eb('last_sync_status', '=', 'error'), eb('last_sync_at', '<=', now - RETRY_AFTER_ERROR_MS)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * One pass: every connection due a sync (never read, read a day ago, or failed an hour ago) that
 * this server claims has the bill of today and the 3 days before read, stored and compared (see
 * syncBilling). A failure is kept on its connection and logged; the pass goes on. Answers how
 * many connections this pass synced without error.
 */
export async function runBillingSync(ctx: AppContext, options: { signal?: AbortSignal } = {}): Promise<number> {
  const connections = await ctx.db.kysely.selectFrom('billing_connections').select(['id', 'org_id', 'provider', 'ciphertext', 'alert_threshold_nanos', 'alert_threshold_pct']).orderBy('id').execute();
  let synced = 0;
  for (const conn of connections) {
    if (options.signal?.aborted) break;
    const now = ctx.now();
    if (!(await claim(ctx, conn.id, now))) continue;
    try {
      const result = await syncBilling(ctx, conn, billingRange({}, now, { defaultDays: RECENT_DAYS, maxDays: RECENT_DAYS }));
      synced++;
      if (result.alerts_fired > 0) ctx.log.info('billing reconciliation alerts fired', { org_id: conn.org_id, provider: conn.provider, alerts: result.alerts_fired });
    } catch (err) {
      ctx.log.warn('billing sync failed', { org_id: conn.org_id, provider: conn.provider, error: err instanceof Error ? err.message : String(err) });
    } finally {
      await ctx.db.kysely.updateTable('billing_connections').set({ sync_claimed_at: null }).where('id', '=', conn.id).where('sync_claimed_at', '=', now).execute();
    }
  }
  return synced;
}

/**
 * Runs `runBillingSync` a minute after start, then hourly. Several server processes on one
 * PostgreSQL may run it at once: each connection is synced by the one that claims it. `stop`
 * ends the timer and waits for the pass in progress, which stops after its current connection.
 */
export function startBillingScheduler(ctx: AppContext, options: { intervalMs?: number; firstRunMs?: number } = {}): PeriodicJob {
  const { intervalMs = BILLING_INTERVAL_MS, firstRunMs = BILLING_FIRST_RUN_MS } = options;
  return startPeriodicJob(ctx, 'billing sync', (signal) => runBillingSync(ctx, { signal }), { intervalMs, firstRunMs });
}
