import type { Role } from '@llmlab/core';
import type { Transaction } from 'kysely';
import { type RequestOrigin, recordAudit } from '../audit/record-audit.js';
import type { Database } from '../db/schema.js';

/**
 * Makes `userId` a member of `orgId` with `role`, in the caller's transaction, and logs it as
 * the new member's own act. A person already in the org keeps their membership and role (an
 * invitation accepted twice, or a second SSO login, changes nothing): the answer says which.
 */
export async function joinOrg(
  trx: Transaction<Database>,
  input: { orgId: string; userId: string; role: Role; via: 'invitation' | 'sso'; now: number; origin?: RequestOrigin },
): Promise<{ joined: boolean; role: Role }> {
  const existing = await trx.selectFrom('memberships').select('role').where('org_id', '=', input.orgId).where('user_id', '=', input.userId).executeTakeFirst();
  if (existing) return { joined: false, role: existing.role };
  await trx.insertInto('memberships').values({ org_id: input.orgId, user_id: input.userId, role: input.role, created_at: input.now, last_seen_at: null }).execute();
  await recordAudit(trx, { orgId: input.orgId, who: { type: 'user', id: input.userId }, origin: input.origin, now: input.now }, {
    action: 'member.joined',
    targetType: 'member',
    targetId: input.userId,
    after: { user_id: input.userId, role: input.role, via: input.via },
  });
  return { joined: true, role: input.role };
}
