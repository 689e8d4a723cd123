import { AppError } from '@llmlab/core';
import { keyCache } from '../auth/authenticate.js';
import type { TenantContext } from '../context.js';

/** Revokes a key of the caller's project; it is refused from the next request on. */
export async function revokeKey({ ctx, keyId }: { ctx: TenantContext; keyId: string }) {
  const result = await ctx.db.kysely
    .updateTable('api_keys')
    .set({ revoked_at: ctx.now() })
    .where('id', '=', keyId)
    .where('project_id', '=', ctx.actor.projectId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  keyCache.forget(ctx.db);
  if (Number(result.numUpdatedRows) === 0) {
    const exists = await ctx.db.kysely
      .selectFrom('api_keys')
      .select('id')
      .where('id', '=', keyId)
      .where('project_id', '=', ctx.actor.projectId)
      .executeTakeFirst();
    if (!exists) throw new AppError('not_found', `API key ${keyId} not found`);
  }
}
