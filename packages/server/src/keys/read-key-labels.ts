import type { KeyCreator } from '@llmlab/core';
import type { SelectQueryBuilder } from 'kysely';
import type { TenantContext } from '../context.js';
import type { Database } from '../db/schema.js';

export interface KeyLabel {
  name: string;
  prefix: string;
  createdBy: KeyCreator;
}

/**
 * Joins each key's creator as `creator`, only while they are a member of the actor's org, so a
 * key never shows a user of another tenant (a creator who left the org shows as unknown).
 */
export function joinKeyCreator<O>(ctx: TenantContext, q: SelectQueryBuilder<Database, 'api_keys', O>) {
  return q
    .leftJoin('memberships as creator_member', (j) => j.onRef('creator_member.user_id', '=', 'api_keys.created_by').on('creator_member.org_id', '=', ctx.actor.orgId))
    .leftJoin('users as creator', 'creator.id', 'creator_member.user_id');
}

/** The name, prefix and creator of the actor's project's keys among `ids` (revoked ones included); another project's keys are not found. */
export async function readKeyLabels({ ctx, input }: { ctx: TenantContext; input: { ids: string[] } }): Promise<Map<string, KeyLabel>> {
  if (input.ids.length === 0) return new Map();
  const rows = await joinKeyCreator(ctx, ctx.db.kysely.selectFrom('api_keys'))
    .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'creator.id as creator_id', 'creator.email as creator_email'])
    .where('api_keys.project_id', '=', ctx.actor.projectId)
    .where('api_keys.id', 'in', input.ids)
    .execute();
  return new Map(
    rows.map((r) => [r.id, { name: r.name, prefix: r.prefix, createdBy: r.creator_id !== null && r.creator_email !== null ? { user_id: r.creator_id, email: r.creator_email } : null }]),
  );
}
