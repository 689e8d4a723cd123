import { uuidv7 } from 'uuidv7';
import type { AppContext } from '../context.js';
import { toJson } from '../db/dialect.js';
import { isUniqueViolation } from '../db/errors.js';
import { sendToChannel } from './send-to-channel.js';
import { type AlertKind, type FiredAlert, alertDb } from './tables.js';

/** Delays before the 2nd and 3rd attempts of a delivery. */
export const RETRY_DELAYS_MS = [500, 2000];

export interface AlertInput {
  projectId: string;
  orgId: string;
  kind: AlertKind;
  subject: string;
  periodKey: string;
  threshold?: number;
  budgetId?: string | null;
  message: string;
  payload: unknown;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Records an alert and delivers it to the org's enabled channels, unless it was already
 * recorded: the unique constraint on (project, kind, subject, period, threshold) lets exactly
 * one process win, also when several evaluate at the same time. Returns the alert, or null.
 */
export async function fireAlert(ctx: AppContext, input: AlertInput): Promise<FiredAlert | null> {
  const db = alertDb(ctx);
  const alert: FiredAlert = {
    id: uuidv7(),
    project_id: input.projectId,
    kind: input.kind,
    subject: input.subject,
    period_key: input.periodKey,
    threshold: input.threshold ?? 0,
    budget_id: input.budgetId ?? null,
    message: input.message,
    // Kept parsed so the evaluate answer shows the same data as GET /api/alerts.
    payload: input.payload,
    fired_at: ctx.now(),
  };
  try {
    await db.insertInto('alerts_fired').values({ ...alert, payload: toJson(input.payload) }).execute();
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
  const channels = await db.selectFrom('alert_channels').selectAll().where('org_id', '=', input.orgId).where('enabled', '=', 1).execute();
  await Promise.all(
    channels.map(async (channel) => {
      const id = uuidv7();
      await db.insertInto('alert_deliveries').values({ id, alert_id: alert.id, channel_id: channel.id, channel_type: channel.type, status: 'pending', attempts: 0, last_error: null, updated_at: ctx.now() }).execute();
      for (let attempt = 1; ; attempt++) {
        try {
          await sendToChannel(ctx, channel, alert, input.payload);
          await db.updateTable('alert_deliveries').set({ status: 'delivered', attempts: attempt, last_error: null, updated_at: ctx.now() }).where('id', '=', id).execute();
          return;
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          const last = attempt > RETRY_DELAYS_MS.length;
          await db.updateTable('alert_deliveries').set({ status: last ? 'failed' : 'pending', attempts: attempt, last_error: reason, updated_at: ctx.now() }).where('id', '=', id).execute();
          if (last) {
            ctx.log.warn('alert delivery failed', { alert_id: alert.id, channel_id: channel.id, reason });
            return;
          }
          await sleep(RETRY_DELAYS_MS[attempt - 1]);
        }
      }
    }),
  );
  return alert;
}
