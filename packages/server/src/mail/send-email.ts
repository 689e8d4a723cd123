import nodemailer from 'nodemailer';
import type { AppContext } from '../context.js';

const TIMEOUT_MS = 10_000;

/** Whether the server can send email (SMTP_HOST is set). */
export function canSendEmail(ctx: AppContext): boolean {
  return Boolean(ctx.config.smtp.host);
}

/** Sends one plain-text email through the configured SMTP server; throws naming the server when it fails. */
export async function sendEmail(ctx: AppContext, mail: { to: string; subject: string; text: string }): Promise<void> {
  const smtp = ctx.config.smtp;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from: smtp.from, ...mail });
  } catch (err) {
    throw new Error(`SMTP error from ${smtp.host}:${smtp.port}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    transport.close();
  }
}
