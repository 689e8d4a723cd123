import { uuidv7 } from 'uuidv7';
import type { ApiKeyAnswer } from '@llmlab/core';
import type { Scope } from '../auth/actor.js';
import { API_KEY_PREFIX, generateSecret, sha256 } from '../auth/secrets.js';
import type { AppContext } from '../context.js';

/** Creates a project API key. The key itself is returned once and never stored. */
export async function createApiKey({ ctx, projectId, input }: { ctx: AppContext; projectId: string; input: { name: string; scopes: Scope[] } }) {
  const key = generateSecret(API_KEY_PREFIX);
  const row = {
    id: uuidv7(),
    project_id: projectId,
    name: input.name,
    prefix: key.slice(0, API_KEY_PREFIX.length + 6),
    key_hash: sha256(key),
    scopes: [...new Set(input.scopes)].sort().join(','),
    created_at: ctx.now(),
    last_used_at: null,
    revoked_at: null,
  };
  await ctx.db.kysely.insertInto('api_keys').values(row).execute();
  return { ...presentKey(row), key };
}

export function presentKey(row: { id: string; name: string; prefix: string; scopes: string; created_at: number; last_used_at: number | null; revoked_at: number | null }): ApiKeyAnswer {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(',') as Scope[],
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
    revoked_at: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  };
}
