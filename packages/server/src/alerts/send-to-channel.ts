import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AppContext } from '../context.js';
import { checkTarget } from './check-target.js';
import type { AlertChannelsTable, FiredAlert } from './tables.js';

const TIMEOUT_MS = 10_000;

/** What every channel is told about an alert. */
export function alertBody(alert: FiredAlert, payload: unknown) {
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
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300) throw new Error(`${url.host} answered HTTP ${res.status}`);
}

/** Sends one alert to one channel; throws with a readable reason when it did not arrive. */
export async function sendToChannel(ctx: AppContext, channel: AlertChannelsTable, alert: FiredAlert, payload: unknown): Promise<void> {
  if (channel.type === 'webhook') {
    const body = JSON.stringify(alertBody(alert, payload));
    const ts = Math.floor(ctx.now() / 1000);
    await post(ctx, channel.target, body, { 'user-agent': 'LLMLab-Alerts', 'x-llmlab-signature': signWebhook(channel.secret ?? '', ts, body), 'x-llmlab-alert-id': alert.id });
    return;
  }
  if (channel.type === 'slack') {
    await post(ctx, channel.target, JSON.stringify({ text: `:rotating_light: *LLMLab alert*: ${alert.message}` }), {});
    return;
  }
  const smtp = ctx.config.smtp;
  if (!smtp.host) throw new Error('SMTP is not configured: set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM)');
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: smtp.from,
      to: channel.target,
      subject: `[LLMLab] ${alert.message}`,
      text: `${alert.message}\n\nFired at ${new Date(alert.fired_at).toISOString()} for project ${alert.project_id}.\n\n${JSON.stringify(payload, null, 2)}\n`,
    });
  } finally {
    transport.close();
  }
}
