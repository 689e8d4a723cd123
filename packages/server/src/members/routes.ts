import type { OpenAPIHono } from '@hono/zod-openapi';
import { MemberAnswer, MemberListAnswer, MemberPatch, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { changeMemberRole, removeMember } from './change-member.js';
import { listMembers } from './list-members.js';

const UserParam = z.object({ user_id: z.string().min(1).max(64) });
const OWNER_RULES = {
  403: "The caller's role is below admin, or only an owner may do this: change or remove an owner, or make someone owner",
  404: 'No such member in the org',
  409: 'The org would be left without an owner',
};

export function registerMemberRoutes(app: OpenAPIHono, ctx: AppContext) {
  const tag = 'members';
  defineRoute(app, ctx, { method: 'get', path: '/api/members', tag, summary: "The org's members with their roles", auth: 'read', role: 'viewer', response: MemberListAnswer }, async ({ ctx }) => ({ members: await listMembers({ ctx }) }));
  defineRoute(app, ctx, {
    method: 'patch', path: '/api/members/{user_id}', tag, summary: "Change a member's role", auth: 'admin', role: 'admin', params: UserParam, body: MemberPatch, response: MemberAnswer, errors: OWNER_RULES,
    description: "Admins change roles below owner; owners also make and unmake owners. The API keys a member made are capped by the member's new role at once.",
  }, ({ ctx, params, body }) => changeMemberRole({ ctx, userId: params.user_id, role: body.role }));
  defineRoute(app, ctx, {
    method: 'delete', path: '/api/members/{user_id}', tag, summary: 'Remove a member from the org', auth: 'admin', role: 'admin', params: UserParam, response: SuccessAnswer, errors: OWNER_RULES,
    description: 'Their sessions lose the org at once and the API keys they made stop working.',
  }, async ({ ctx, params }) => {
    await removeMember({ ctx, userId: params.user_id });
    return { success: true } as const;
  });
}
