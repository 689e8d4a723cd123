import type { OpenAPIHono } from '@hono/zod-openapi';
import { AUDIT_ACTIONS, AuditLogAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeParam } from '../http/query-params.js';
import { listAuditLog } from './list-audit-log.js';

const AuditQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  actor: z.string().max(254).optional().describe("The actor's email, key prefix, user id or key id"),
  action: z.enum(AUDIT_ACTIONS, { error: `action must be one of ${AUDIT_ACTIONS.join(', ')}` }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export function registerAuditRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/audit-log', tag: 'members', summary: 'Every change to the org: who, what, when, before and after', auth: 'admin', role: 'admin', query: AuditQuery, response: AuditLogAnswer,
    description: 'Newest first. Append-only: no route edits or deletes an entry. Secrets never appear (a provider key shows as `sk-...abcd`, an API key by its prefix).',
  }, ({ ctx, query }) => listAuditLog({ ctx, input: query }));
}
