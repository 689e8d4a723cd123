import type { TenantContext } from '../context.js';
import { presentKey } from './create-key.js';

export async function listKeys({ ctx }: { ctx: TenantContext }) {
  const rows = await ctx.db.kysely
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .where('project_id', '=', ctx.actor.projectId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(presentKey);
}
