import type { AuditAction } from '@llmlab/core';
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { RequestOrigin, TenantContext } from '../context.js';

export type { RequestOrigin };
import { toJson } from '../db/dialect.js';
import type { Database } from '../db/schema.js';

/** Who made a change, as the audit log names them. */
export interface AuditWho {
  type: 'user' | 'key';
  id: string;
  /** A user's email or a key's prefix; looked up in the transaction when left out. */
  label?: string | null;
}


export interface AuditChange {
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  /** The project the change belongs to; null (the default) for org-wide changes. */
  projectId?: string | null;
  /** The target before and after, with secrets already masked (a provider key as sk-...abcd). */
  before?: unknown;
  after?: unknown;
}

/** The actor of a tenant request, as the audit log names it. */
export function auditWho(ctx: TenantContext): AuditWho {
  const { actor } = ctx;
  if (actor.kind === 'api_key') return { type: 'key', id: actor.keyId as string, label: actor.keyPrefix ?? null };
  return { type: 'user', id: actor.userId as string };
}

/**
 * Appends one entry to the org's audit log. Call it with the transaction that makes the change,
 * so the entry and the change commit or roll back together. Nothing updates or deletes an entry.
 */
export async function recordAudit(
  trx: Transaction<Database> | Kysely<Database>,
  scope: { orgId: string; who: AuditWho; origin?: RequestOrigin; now: number },
  change: AuditChange,
): Promise<void> {
  let label = scope.who.label;
  if (label === undefined && scope.who.type === 'user') {
    label = (await trx.selectFrom('users').select('email').where('id', '=', scope.who.id).executeTakeFirst())?.email ?? null;
  }
  await trx
    .insertInto('audit_log')
    .values({
      id: uuidv7(),
      org_id: scope.orgId,
      project_id: change.projectId ?? null,
      at: scope.now,
      actor_type: scope.who.type,
      actor_id: scope.who.id,
      actor_label: label ?? null,
      action: change.action,
      target_type: change.targetType,
      target_id: change.targetId,
      before: toJson(change.before ?? null),
      after: toJson(change.after ?? null),
      ip: scope.origin?.ip ?? null,
      user_agent: scope.origin?.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
}

/** recordAudit for a tenant request: the actor, its org and the request's origin. */
export function audit(trx: Transaction<Database> | Kysely<Database>, ctx: TenantContext, change: AuditChange): Promise<void> {
  return recordAudit(trx, { orgId: ctx.actor.orgId, who: auditWho(ctx), origin: ctx.origin, now: ctx.now() }, change);
}
