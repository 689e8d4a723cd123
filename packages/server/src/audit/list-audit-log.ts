import { AppError, type AuditAction, type AuditEntryAnswer } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { fromJson } from '../db/dialect.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

export interface AuditFilters {
  from?: number;
  to?: number;
  /** An email, a key prefix or a user or key id. */
  actor?: string;
  action?: AuditAction;
  limit: number;
  cursor?: string;
}

/** The org's audit log, newest first, `limit` entries a page. */
export async function listAuditLog({ ctx, input }: { ctx: TenantContext; input: AuditFilters }): Promise<{ entries: AuditEntryAnswer[]; next_cursor: string | null }> {
  if (input.from !== undefined && input.to !== undefined && input.from >= input.to) throw new AppError('bad_request', 'from must be before to');
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const actor = input.actor?.trim().toLowerCase();
  const rows = await ctx.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('org_id', '=', ctx.actor.orgId)
    .$if(input.from !== undefined, (q) => q.where('at', '>=', input.from as number))
    .$if(input.to !== undefined, (q) => q.where('at', '<', input.to as number))
    .$if(input.action !== undefined, (q) => q.where('action', '=', input.action as string))
    .$if(actor !== undefined, (q) => q.where((eb) => eb.or([eb('actor_label', '=', actor as string), eb('actor_id', '=', input.actor as string)])))
    .$if(after !== undefined, (q) => q.where((eb) => eb.or([eb('at', '<', after?.time as number), eb.and([eb('at', '=', after?.time as number), eb('id', '<', after?.id as string)])])))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: {
        type: r.actor_type,
        id: r.actor_id,
        email: r.actor_type === 'user' ? r.actor_label : null,
        key_prefix: r.actor_type === 'key' ? r.actor_label : null,
      },
      action: r.action as AuditAction,
      target_type: r.target_type,
      target_id: r.target_id,
      project_id: r.project_id,
      before: fromJson(r.before),
      after: fromJson(r.after),
      ip: r.ip,
      user_agent: r.user_agent,
    })),
    next_cursor: rows.length > input.limit ? encodeCursor(page[page.length - 1].at, page[page.length - 1].id) : null,
  };
}
