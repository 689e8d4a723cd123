import { type BillingProvider, type DayReconciliationAnswer, formatUsdPrecise, nanosToUsd } from '@llmlab/core';
import { fireAlert } from '../alerts/fire-alert.js';
import type { AppContext } from '../context.js';
import { PROVIDER_NAMES } from './read-provider-bill.js';
import type { BillingConnectionsTable } from './tables.js';

const usd = (nanos: number) => formatUsdPrecise(nanosToUsd(nanos));

/** Whether a settled day's difference passes every threshold the admin set (and at least one is set). */
function passes(day: DayReconciliationAnswer, conn: Pick<BillingConnectionsTable, 'alert_threshold_nanos' | 'alert_threshold_pct'>): boolean {
  if (!day.settled || day.difference_nanos === null || day.difference_nanos === 0) return false;
  if (conn.alert_threshold_nanos === null && conn.alert_threshold_pct === null) return false;
  if (conn.alert_threshold_nanos !== null && Math.abs(day.difference_nanos) < Number(conn.alert_threshold_nanos)) return false;
  // Nothing billed against something tracked has no share of the bill: it passes any percentage.
  if (conn.alert_threshold_pct !== null && day.difference_pct !== null && Math.abs(day.difference_pct) < Number(conn.alert_threshold_pct)) return false;
  return true;
}

function messageOf(provider: BillingProvider, day: DayReconciliationAnswer): string {
  const name = PROVIDER_NAMES[provider];
  const diff = day.difference_nanos as number;
  const pct = day.difference_pct === null ? '' : ` (${Math.abs(day.difference_pct)}% of the bill)`;
  if (diff > 0) {
    return `${name} billed ${usd(day.billed_nanos as number)} on ${day.date} (UTC) but LLMLab tracked ${usd(day.tracked_nanos)}: ${usd(diff)}${pct} that LLMLab never saw (calls outside the SDK and proxy, other projects on the ${name} organization, unpriced models)`;
  }
  return `LLMLab tracked ${usd(day.tracked_nanos)} of ${name} calls on ${day.date} (UTC) but ${name} billed ${usd(day.billed_nanos as number)}: ${usd(-diff)}${pct} more than the bill (price overrides, credits, calls counted twice)`;
}

/**
 * Fires a reconciliation alert for each settled day of `days` whose difference passes the
 * connection's thresholds, once per provider and day (fireAlert's unique key), to the org's
 * channels. It belongs to the org's first project, whose alert list shows it. Answers how many fired.
 */
export async function fireReconciliationAlerts(ctx: AppContext, conn: Pick<BillingConnectionsTable, 'org_id' | 'provider' | 'alert_threshold_nanos' | 'alert_threshold_pct'>, days: readonly DayReconciliationAnswer[]): Promise<number> {
  const due = days.filter((d) => d.provider === conn.provider && passes(d, conn));
  if (due.length === 0) return 0;
  const project = await ctx.db.kysely.selectFrom('projects').select('id').where('org_id', '=', conn.org_id).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  if (!project) return 0;
  let fired = 0;
  for (const day of due) {
    const alert = await fireAlert(ctx, {
      projectId: project.id,
      orgId: conn.org_id,
      kind: 'reconciliation',
      subject: `billing:${conn.provider}`,
      periodKey: day.date,
      message: messageOf(conn.provider, day),
      payload: {
        provider: conn.provider,
        date: day.date,
        tracked: day.tracked,
        billed: day.billed,
        difference: day.difference,
        difference_pct: day.difference_pct,
        alert_threshold_usd: conn.alert_threshold_nanos === null ? null : nanosToUsd(Number(conn.alert_threshold_nanos)),
        alert_threshold_pct: conn.alert_threshold_pct === null ? null : Number(conn.alert_threshold_pct),
      },
    });
    if (alert) fired++;
  }
  return fired;
}
