import { randomBytes } from 'node:crypto';
import { AppError } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { checkTarget, parseTargetUrl } from './check-target.js';
import { type AlertChannelsTable, type AlertTables, alertDb, type ChannelType } from './tables.js';

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

/** `db` (a transaction, or the database) typed with the alert tables. */
function alertTables(db: Kysely<Database>): Kysely<Database & AlertTables> {
  return db.withTables<AlertTables>();
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
  await ctx.db.transaction(async (trx) => {
    await alertTables(trx).insertInto('alert_channels').values(row).execute();
    await audit(trx, ctx, { action: 'alert_channel.created', targetType: 'alert_channel', targetId: row.id, after: describeChannel(row) });
  });
  return present(row, true);
}

export async function listChannels({ ctx }: { ctx: TenantContext }) {
  const rows = await alertDb(ctx).selectFrom('alert_channels').selectAll().where('org_id', '=', ctx.actor.orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => present(r));
}

/** The org's channel, or not_found (also for another org's id); read in `trx` when given, and locked until it ends. */
export async function findChannel(ctx: TenantContext, id: string, trx?: Transaction<Database>): Promise<AlertChannelsTable> {
  const query = alertTables(trx ?? ctx.db.kysely).selectFrom('alert_channels').selectAll().where('id', '=', id).where('org_id', '=', ctx.actor.orgId);
  // forUpdate is typed for Database, which the alert tables join only through alertTables.
  const row = await (trx ? (ctx.db.forUpdate(query as never) as typeof query) : query).executeTakeFirst();
  if (!row) throw new AppError('not_found', `alert channel ${id} not found`);
  return row;
}

export async function updateChannel({ ctx, id, input }: { ctx: TenantContext; id: string; input: ChannelPatch }) {
  // The target is checked (a DNS lookup) before the transaction, which holds SQLite's write lock.
  const { type } = await findChannel(ctx, id);
  const target = input.url !== undefined || input.email !== undefined ? await targetOf(ctx, type, input) : undefined;
  const updated = await ctx.db.transaction(async (trx) => {
    const row = await findChannel(ctx, id, trx);
    const next: AlertChannelsTable = {
      ...row,
      name: input.name ?? row.name,
      target: target ?? row.target,
      enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
      updated_at: ctx.now(),
    };
    await alertTables(trx).updateTable('alert_channels').set({ name: next.name, target: next.target, enabled: next.enabled, updated_at: next.updated_at }).where('id', '=', id).where('org_id', '=', ctx.actor.orgId).execute();
    await audit(trx, ctx, { action: 'alert_channel.updated', targetType: 'alert_channel', targetId: id, before: describeChannel(row), after: describeChannel(next) });
    return next;
  });
  return present(updated);
}

export async function deleteChannel({ ctx, id }: { ctx: TenantContext; id: string }) {
  await ctx.db.transaction(async (trx) => {
    const current = await alertTables(trx).deleteFrom('alert_channels').where('id', '=', id).where('org_id', '=', ctx.actor.orgId).returningAll().executeTakeFirst();
    if (!current) throw new AppError('not_found', `alert channel ${id} not found`);
    await audit(trx, ctx, { action: 'alert_channel.deleted', targetType: 'alert_channel', targetId: id, before: describeChannel(current) });
  });
}

/**
 * A channel as the audit log shows it: never the webhook's signing secret, and of a URL only
 * what names the receiver (a webhook's origin and path; a Slack incoming webhook's origin, since
 * its path is the credential), never a query string or user info.
 */
function describeChannel(row: AlertChannelsTable) {
  let target = row.target;
  if (row.type !== 'email') {
    const url = new URL(row.target);
    target = row.type === 'slack' ? url.origin : `${url.origin}${url.pathname}`;
  }
  return { type: row.type, name: row.name, target, enabled: row.enabled === 1 };
}
