import type { OpenAPIHono } from '@hono/zod-openapi';
import { OrgAnswer, OrgPatch, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { deleteOrg, updateOrg } from './org-settings.js';

export function registerOrgRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'patch', path: '/api/org', tag: 'members', summary: 'Rename the org', auth: 'admin', role: 'admin', body: OrgPatch, response: OrgAnswer }, ({ ctx, body }) => updateOrg({ ctx, input: body }));
  defineRoute(app, ctx, {
    method: 'delete', path: '/api/org', tag: 'members', summary: 'Delete the org and everything in it', auth: 'session', role: 'owner',
    query: z.object({ confirm: z.string().min(1).max(100).describe("The org's id, repeated") }), response: SuccessAnswer,
    description: 'Owners only, signed in (not with an API key). Deletes every project, event, key, budget and membership of the org. `confirm` must be the org\'s id.',
  }, async ({ ctx, query }) => {
    await deleteOrg({ ctx, confirm: query.confirm });
    return { success: true } as const;
  });
}
