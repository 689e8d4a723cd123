import type { TenantContext } from '../context.js';
import { presentKey } from './create-key.js';
import { keyBudgets, keyRateLimits } from './key-limits.js';
import { joinKeyCreator } from './read-key-labels.js';

/** The project's keys, newest first, each with its limits and its own budget's spend this period. */
export async function listKeys({ ctx }: { ctx: TenantContext }) {
  const rows = await joinKeyCreator(ctx, ctx.db.kysely.selectFrom('api_keys'))
    .select([
      'api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.scopes', 'api_keys.created_at', 'api_keys.last_used_at', 'api_keys.revoked_at',
      'api_keys.allowed_models', 'api_keys.allowed_providers', 'api_keys.expires_at', 'api_keys.metadata',
      'creator.id as creator_id', 'creator.email as creator_email',
    ])
    .where('api_keys.project_id', '=', ctx.actor.projectId)
    .orderBy('api_keys.created_at', 'desc')
    .execute();
  const ids = rows.map((r) => r.id);
  const [budgets, limits] = await Promise.all([keyBudgets(ctx, ids), keyRateLimits(ctx, ids)]);
  return rows.map((r) => presentKey(r, budgets.get(r.id) ?? null, limits.get(r.id) ?? null));
}
