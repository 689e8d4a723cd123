import { AppError, type OrgAnswer } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import { keyCache } from '../auth/authenticate.js';
import type { TenantContext } from '../context.js';

/** Renames the actor's org. */
export async function updateOrg({ ctx, input }: { ctx: TenantContext; input: { name: string } }): Promise<OrgAnswer> {
  return ctx.db.transaction(async (trx) => {
    const before = await trx.selectFrom('orgs').select(['id', 'name']).where('id', '=', ctx.actor.orgId).executeTakeFirstOrThrow();
    await trx.updateTable('orgs').set({ name: input.name }).where('id', '=', ctx.actor.orgId).execute();
    await audit(trx, ctx, { action: 'org.updated', targetType: 'org', targetId: before.id, before: { name: before.name }, after: { name: input.name } });
    return { id: before.id, name: input.name };
  });
}

/**
 * Deletes the org with everything in it: projects, events, keys, budgets, members' access and its
 * audit log (which goes with it, so the deletion itself is written to the server log). `confirm`
 * must repeat the org's id (names are neither unique nor fixed), so a stray request cannot do it.
 */
export async function deleteOrg({ ctx, confirm }: { ctx: TenantContext; confirm: string }): Promise<void> {
  const org = await ctx.db.kysely.selectFrom('orgs').select(['id', 'name']).where('id', '=', ctx.actor.orgId).executeTakeFirstOrThrow();
  if (confirm !== org.id) throw new AppError('bad_request', `confirm must be the org's id (${org.id}), to show the deletion is meant`);
  await ctx.db.transaction(async (trx) => {
    await trx.deleteFrom('orgs').where('id', '=', org.id).execute();
  });
  keyCache.forget(ctx.db);
  ctx.log.info('org deleted', { org_id: org.id, org_name: org.name, by_user: ctx.actor.userId, ip: ctx.origin?.ip ?? null });
}
