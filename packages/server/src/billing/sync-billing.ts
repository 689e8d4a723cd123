import { AppError, type BillingProvider, DAY_MS } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { readAnthropicCosts } from './anthropic-costs.js';
import { readAdminKey } from './connections.js';
import { readOpenaiCosts } from './openai-costs.js';
import { fireReconciliationAlerts } from './reconciliation-alerts.js';
import type { BillDay, DayRange } from './read-provider-bill.js';
import { readReconciliation } from './read-reconciliation.js';
import type { BillingConnectionsTable } from './tables.js';

const READERS: Record<BillingProvider, (ctx: AppContext, adminKey: string, range: DayRange) => Promise<BillDay[]>> = {
  openai: readOpenaiCosts,
  anthropic: readAnthropicCosts,
};

export type SyncedConnection = Pick<BillingConnectionsTable, 'org_id' | 'provider' | 'ciphertext' | 'alert_threshold_nanos' | 'alert_threshold_pct'>;

export interface SyncResult {
  provider: BillingProvider;
  days: number;
  lines: number;
  billed_nanos: number;
  alerts_fired: number;
}

/**
 * Replaces the stored bill of the range's days with what was read, in one transaction. The
 * connection's row is locked first, so two reads of one bill at once (the job and a reconcile on
 * another server) store one after the other, and a connection removed meanwhile stores nothing.
 */
async function storeBill(ctx: AppContext, conn: SyncedConnection, range: DayRange, days: BillDay[]): Promise<void> {
  const now = ctx.now();
  const { org_id, provider } = conn;
  await ctx.db.transaction(async (trx) => {
    const held = await ctx.db.forUpdate(trx.selectFrom('billing_connections').select('id').where('org_id', '=', org_id).where('provider', '=', provider)).executeTakeFirst();
    if (!held) throw new AppError('not_found', `the ${provider} billing connection was removed while its bill was read`);
    await trx.deleteFrom('billed_lines').where('org_id', '=', org_id).where('provider', '=', provider).where('day', '>=', range.from).where('day', '<', range.to).execute();
    await trx.deleteFrom('billed_days').where('org_id', '=', org_id).where('provider', '=', provider).where('day', '>=', range.from).where('day', '<', range.to).execute();
    if (days.length) await trx.insertInto('billed_days').values(days.map((d) => ({ org_id, provider, day: d.day, fetched_at: now }))).execute();
    const lines = days.flatMap((d) => d.lines.map((l) => ({ org_id, provider, day: d.day, line_item: l.line_item, model: l.model, amount_nanos: l.amount_nanos })));
    for (let i = 0; i < lines.length; i += 500) await trx.insertInto('billed_lines').values(lines.slice(i, i + 500)).execute();
  });
}

async function recordStatus(ctx: AppContext, conn: SyncedConnection, error: string | null): Promise<void> {
  const now = ctx.now();
  await ctx.db.kysely
    .updateTable('billing_connections')
    .set(error === null ? { last_sync_at: now, last_sync_status: 'ok', last_error: null, last_success_at: now } : { last_sync_at: now, last_sync_status: 'error', last_error: error })
    .where('org_id', '=', conn.org_id)
    .where('provider', '=', conn.provider)
    // A key replaced while the sync ran starts afresh: this status was about the old one.
    .where('ciphertext', '=', conn.ciphertext)
    .execute();
}

/**
 * Reads a connection's bill for the range from the provider, stores it, records the sync on the
 * connection and fires the alerts its settled days call for. A provider error (a refused key, a
 * rate limit, an outage) is recorded as the connection's last error and thrown, as an AppError
 * naming the provider; nothing stored is changed by a failed read.
 */
export async function syncBilling(ctx: AppContext, conn: SyncedConnection, range: DayRange): Promise<SyncResult> {
  let days: BillDay[];
  try {
    days = await READERS[conn.provider](ctx, readAdminKey(ctx, conn.org_id, conn.provider, conn.ciphertext), range);
    await storeBill(ctx, conn, range, days);
  } catch (err) {
    const error = err instanceof AppError ? err : new AppError('internal', 'internal error; the server log has the details');
    if (!(err instanceof AppError)) ctx.log.error('billing sync failed', { org_id: conn.org_id, provider: conn.provider, error: err instanceof Error ? err.message : String(err) });
    await recordStatus(ctx, conn, error.message);
    throw error;
  }
  await recordStatus(ctx, conn, null);
  const { days: compared } = await readReconciliation(ctx, conn.org_id, [conn.provider], range);
  const alerts = await fireReconciliationAlerts(ctx, conn, compared);
  const lines = days.reduce((a, d) => a + d.lines.length, 0);
  const billed = days.reduce((a, d) => a + d.lines.reduce((s, l) => s + l.amount_nanos, 0), 0);
  return { provider: conn.provider, days: Math.round((range.to - range.from) / DAY_MS), lines, billed_nanos: billed, alerts_fired: alerts };
}
