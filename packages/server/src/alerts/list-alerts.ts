import type { FiredAlertAnswer } from '@llmlab/core';
import { fromJson } from '../db/dialect.js';
import type { TenantContext } from '../context.js';
import { alertDb, type FiredAlert } from './tables.js';

/** An alert with its deliveries, as the API shows it. */
export async function presentAlerts(ctx: TenantContext, alerts: readonly FiredAlert[]): Promise<FiredAlertAnswer[]> {
  const db = alertDb(ctx);
  const deliveries = alerts.length
    ? await db.selectFrom('alert_deliveries').selectAll().where('alert_id', 'in', alerts.map((a) => a.id)).orderBy('id').execute()
    : [];
  return alerts.map((a) => ({
    id: a.id,
    type: a.kind,
    budget_id: a.budget_id,
    threshold: a.threshold || null,
    period_key: a.period_key,
    message: a.message,
    data: fromJson<Record<string, unknown>>(a.payload),
    fired_at: new Date(a.fired_at).toISOString(),
    deliveries: deliveries
      .filter((d) => d.alert_id === a.id)
      .map((d) => ({ channel_id: d.channel_id, channel_type: d.channel_type, status: d.status, attempts: d.attempts, last_error: d.last_error })),
  }));
}

/** The project's fired alerts, newest first. */
export async function listAlerts({ ctx, input }: { ctx: TenantContext; input: { limit: number } }) {
  const rows = await alertDb(ctx).selectFrom('alerts_fired').selectAll().where('project_id', '=', ctx.actor.projectId).orderBy('fired_at', 'desc').orderBy('id', 'desc').limit(input.limit).execute();
  return presentAlerts(ctx, rows);
}
