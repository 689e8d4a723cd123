import type { TenantContext } from '../context.js';
import { presentKey } from './create-key.js';
import { joinKeyCreator } from './read-key-labels.js';

export async function listKeys({ ctx }: { ctx: TenantContext }) {
  const rows = await joinKeyCreator(ctx, ctx.db.kysely.selectFrom('api_keys'))
    .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.scopes', 'api_keys.created_at', 'api_keys.last_used_at', 'api_keys.revoked_at', 'creator.id as creator_id', 'creator.email as creator_email'])
    .where('api_keys.project_id', '=', ctx.actor.projectId)
    .orderBy('api_keys.created_at', 'desc')
    .execute();
  return rows.map(presentKey);
}
