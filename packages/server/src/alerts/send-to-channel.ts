import { createHmac } from 'node:crypto';
import { AppError } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { canSendEmail, sendEmail } from '../mail/send-email.js';
import { checkTarget } from './check-target.js';
import type { AlertChannelsTable, AlertKind, FiredAlert } from './tables.js';

const TIMEOUT_MS = 10_000;

/** What is sent: a fired alert, or a channel test that is never recorded. */
export type OutgoingAlert = Pick<FiredAlert, 'id' | 'project_id' | 'budget_id' | 'threshold' | 'message' | 'fired_at'> & { kind: AlertKind | 'test' };

/** What every channel is told about an alert. */
export function alertBody(alert: OutgoingAlert, payload: unknown) {
  return {
    id: alert.id,
    type: alert.kind,
    project_id: alert.project_id,
    budget_id: alert.budget_id,
    threshold: alert.threshold || null,
    message: alert.message,
    fired_at: new Date(alert.fired_at).toISOString(),
    data: payload,
  };
}

/**
 * The webhook signature: HMAC-SHA256 with the channel secret over "<timestamp>.<body>", sent as
 * `x-llmlab-signature: t=<timestamp>,v1=<hex>` so receivers can also refuse old replays.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function post(ctx: AppContext, target: string, body: string, headers: Record<string, string>): Promise<void> {
  const url = new URL(target);
  await checkTarget(url, ctx.config.webhookAllowPrivate);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new Error(`${url.host}: ${fetchFailure(err)}`);
  }
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300) throw new Error(`${url.host} answered HTTP ${res.status}`);
}

/** Why fetch threw, in words: undici only says "fetch failed" and keeps the reason in `cause`. */
function fetchFailure(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  if (cause?.code === 'ECONNRESET') return 'connection reset';
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** Sends one alert to one channel; throws with a readable reason when it did not arrive. */
export async function sendToChannel(ctx: AppContext, channel: AlertChannelsTable, alert: OutgoingAlert, payload: unknown): Promise<void> {
  if (channel.type === 'webhook') {
    const body = JSON.stringify(alertBody(alert, payload));
    const ts = Math.floor(ctx.now() / 1000);
    await post(ctx, channel.target, body, { 'user-agent': 'LLMLab-Alerts', 'x-llmlab-signature': signWebhook(channel.secret ?? '', ts, body), 'x-llmlab-alert-id': alert.id });
    return;
  }
  if (channel.type === 'slack') {
    const title = alert.kind === 'test' ? ':white_check_mark: *LLMLab test*' : ':rotating_light: *LLMLab alert*';
    await post(ctx, channel.target, JSON.stringify({ text: `${title}: ${alert.message}` }), {});
    return;
  }
  // The server's own settings are missing, not the recipient's: a 4xx that says what to set.
  if (!canSendEmail(ctx)) throw new AppError('bad_request', 'SMTP is not configured: set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM)');
  await sendEmail(ctx, {
    to: channel.target,
    subject: `[LLMLab] ${alert.message}`,
    text: `${alert.message}\n\nFired at ${new Date(alert.fired_at).toISOString()} for project ${alert.project_id}.\n\n${JSON.stringify(payload, null, 2)}\n`,
  });
}
