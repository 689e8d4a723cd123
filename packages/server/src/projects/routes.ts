import type { OpenAPIHono } from '@hono/zod-openapi';
import { ProjectAnswer, ProjectListAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { createProject, listProjects } from './projects.js';
import { updateProject } from './update-project.js';

const Name = z.string({ error: 'name must be a string' }).trim().min(1, { error: 'name must not be empty' }).max(100);

export function registerProjectRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/projects', tag: 'projects', summary: "The org's projects", auth: 'read', role: 'viewer', response: ProjectListAnswer }, async ({ ctx }) => ({ projects: await listProjects({ ctx }) }));
  defineRoute(app, ctx, { method: 'post', path: '/api/projects', tag: 'projects', summary: 'Create a project in the org', auth: 'session', role: 'admin', body: z.strictObject({ name: Name }), response: ProjectAnswer, status: 201,
    description: 'Needs a logged-in owner or admin of the org (not an API key).' }, ({ ctx, body }) => createProject({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'patch', path: '/api/projects/{id}', tag: 'projects', summary: 'Rename a project', auth: 'admin', role: 'admin', params: z.object({ id: z.string().min(1).max(64) }), body: z.strictObject({ name: Name }), response: ProjectAnswer,
    errors: { 404: 'No such project in the org' } }, ({ ctx, params, body }) => updateProject({ ctx, id: params.id, input: body }));
}
