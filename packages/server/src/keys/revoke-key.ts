import { AppError } from '@llmlab/core';
import { audit } from '../audit/record-audit.js';
import { keyCache } from '../auth/authenticate.js';
import type { TenantContext } from '../context.js';
import { describeKey } from './create-key.js';
import { checkMayRevoke } from './key-rights.js';

/**
 * Revokes a key of the caller's project; it is refused from the next request on. Revoking a
 * revoked key changes nothing. Below admin, only the keys one made.
 */
export async function revokeKey({ ctx, keyId }: { ctx: TenantContext; keyId: string }) {
  const projectId = ctx.actor.projectId;
  await ctx.db.transaction(async (trx) => {
    const now = ctx.now();
    const stored = await ctx.db.forUpdate(trx.selectFrom('api_keys').select('created_by').where('id', '=', keyId).where('project_id', '=', projectId)).executeTakeFirst();
    if (!stored) throw new AppError('not_found', `API key ${keyId} not found`);
    checkMayRevoke(ctx, stored);
    const key = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('id', '=', keyId)
      .where('project_id', '=', projectId)
      .where('revoked_at', 'is', null)
      .returning(['name', 'prefix', 'scopes'])
      .executeTakeFirst();
    if (!key) return;
    const shown = describeKey({ ...key, scopes: key.scopes.split(',') });
    await audit(trx, ctx, { action: 'api_key.revoked', targetType: 'api_key', targetId: keyId, projectId, before: { ...shown, revoked_at: null }, after: { ...shown, revoked_at: new Date(now).toISOString() } });
  });
  keyCache.forget(ctx.db);
}
