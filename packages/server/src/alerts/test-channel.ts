import { AppError } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import type { TenantContext } from '../context.js';
import { findChannel } from './channels.js';
import { type OutgoingAlert, sendToChannel } from './send-to-channel.js';

const TYPE_NAMES = { webhook: 'webhook', slack: 'Slack', email: 'email' } as const;

/**
 * Sends a test alert through one of the org's channels now, once (no retries, so the answer
 * comes fast), disabled channels included so they can be checked before being switched on.
 * Nothing is recorded: no alert fires for any budget. A target that fails is a 502 naming why.
 */
export async function testChannel({ ctx, id }: { ctx: TenantContext; id: string }): Promise<{ delivered: true }> {
  const channel = await findChannel(ctx, id);
  const alert: OutgoingAlert = {
    id: uuidv7(),
    kind: 'test',
    project_id: ctx.actor.projectId,
    budget_id: null,
    threshold: 0,
    message: `Test alert: the ${TYPE_NAMES[channel.type]} channel "${channel.name}" works. No budget was reached; nothing needs doing.`,
    fired_at: ctx.now(),
  };
  try {
    await sendToChannel(ctx, channel, alert, { test: true, channel_id: channel.id });
  } catch (err) {
    // Refusals of our own (a private target, SMTP not configured) keep their 4xx.
    if (err instanceof AppError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('bad_gateway', `test alert not delivered to the ${TYPE_NAMES[channel.type]} channel "${channel.name}": ${reason}`);
  }
  return { delivered: true };
}
