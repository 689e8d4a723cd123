import { randomBytes } from 'node:crypto';
import { AppError } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { TenantContext } from '../context.js';
import { checkTarget, parseTargetUrl } from './check-target.js';
import { type AlertChannelsTable, alertDb, type ChannelType } from './tables.js';

const name = z.string().trim().min(1).max(100);
export const ChannelInput = z.strictObject({
  type: z.enum(['webhook', 'slack', 'email'], { error: 'type must be webhook, slack or email' }),
  name: name.optional(),
  url: z.string().max(2000).optional(),
  email: z.email({ error: 'email must be an email address' }).max(320).optional(),
  enabled: z.boolean().default(true),
});
export type ChannelInput = z.infer<typeof ChannelInput>;
export const ChannelPatch = z.strictObject({ name: name.optional(), url: z.string().max(2000).optional(), email: z.email().max(320).optional(), enabled: z.boolean().optional() });
export type ChannelPatch = z.infer<typeof ChannelPatch>;

async function targetOf(ctx: TenantContext, type: ChannelType, input: { url?: string; email?: string }): Promise<string> {
  if (type === 'email') {
    if (!input.email) throw new AppError('validation_failed', 'email: required for an email channel', [{ path: 'email', message: 'required' }]);
    return input.email;
  }
  if (!input.url) throw new AppError('validation_failed', `url: required for a ${type} channel`, [{ path: 'url', message: 'required' }]);
  const url = parseTargetUrl(input.url, 'url');
  await checkTarget(url, ctx.config.webhookAllowPrivate);
  return url.toString();
}

/** A channel as the API shows it; the webhook secret only when just created. */
function present(row: AlertChannelsTable, withSecret = false) {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    target: row.target,
    ...(row.type === 'email' ? { email: row.target } : { url: row.target }),
    enabled: row.enabled === 1,
    created_at: new Date(row.created_at).toISOString(),
    ...(withSecret && row.secret ? { secret: row.secret } : {}),
  };
}

export async function createChannel({ ctx, input }: { ctx: TenantContext; input: ChannelInput }) {
  const now = ctx.now();
  const row: AlertChannelsTable = {
    id: uuidv7(),
    org_id: ctx.actor.orgId,
    type: input.type,
    name: input.name ?? `${input.type} channel`,
    target: await targetOf(ctx, input.type, input),
    secret: input.type === 'webhook' ? `whsec_${randomBytes(24).toString('base64url')}` : null,
    enabled: input.enabled ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  await alertDb(ctx).insertInto('alert_channels').values(row).execute();
  return present(row, true);
}

export async function listChannels({ ctx }: { ctx: TenantContext }) {
  const rows = await alertDb(ctx).selectFrom('alert_channels').selectAll().where('org_id', '=', ctx.actor.orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => present(r));
}

/** The org's channel, or not_found (also for another org's id). */
export async function findChannel(ctx: TenantContext, id: string): Promise<AlertChannelsTable> {
  const row = await alertDb(ctx).selectFrom('alert_channels').selectAll().where('id', '=', id).where('org_id', '=', ctx.actor.orgId).executeTakeFirst();
  if (!row) throw new AppError('not_found', `alert channel ${id} not found`);
  return row;
}

export async function updateChannel({ ctx, id, input }: { ctx: TenantContext; id: string; input: ChannelPatch }) {
  const row = await findChannel(ctx, id);
  const target = input.url !== undefined || input.email !== undefined ? await targetOf(ctx, row.type, input) : row.target;
  const next: AlertChannelsTable = {
    ...row,
    name: input.name ?? row.name,
    target,
    enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
    updated_at: ctx.now(),
  };
  await alertDb(ctx).updateTable('alert_channels').set({ name: next.name, target: next.target, enabled: next.enabled, updated_at: next.updated_at }).where('id', '=', id).where('org_id', '=', ctx.actor.orgId).execute();
  return present(next);
}

export async function deleteChannel({ ctx, id }: { ctx: TenantContext; id: string }) {
  await findChannel(ctx, id);
  await alertDb(ctx).deleteFrom('alert_channels').where('id', '=', id).where('org_id', '=', ctx.actor.orgId).execute();
}
