import type { OpenAPIHono } from '@hono/zod-openapi';
import { ProjectAnswer, ProjectListAnswer, ProjectName, ProjectPatch } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { createProject, listProjects } from './projects.js';
import { updateProject } from './update-project.js';

export function registerProjectRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/projects', tag: 'projects', summary: "The org's projects", auth: 'read', role: 'viewer', response: ProjectListAnswer }, async ({ ctx }) => ({ projects: await listProjects({ ctx }) }));
  defineRoute(app, ctx, { method: 'post', path: '/api/projects', tag: 'projects', summary: 'Create a project in the org', auth: 'session', role: 'admin', body: z.strictObject({ name: ProjectName }), response: ProjectAnswer, status: 201,
    description: 'Needs a logged-in owner or admin of the org (not an API key).' }, ({ ctx, body }) => createProject({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'patch', path: '/api/projects/{id}', tag: 'projects', summary: 'Rename a project, or set how long it keeps raw events', auth: 'admin', role: 'admin', params: z.object({ id: z.string().min(1).max(64) }), body: ProjectPatch, response: ProjectAnswer,
    description: '`retention_days` (1 to 3650, null: forever, the default) removes raw events older than that many days, hourly and at once with POST /api/admin/retention/apply. ' +
      'Hourly totals are kept, so summaries, charts, budgets, forecasts and breakdowns by model, provider or feature stay exact for the whole history; the events list, the event export and grouping by user or API key cover the days kept (see docs/operations.md#retention).',
    errors: { 404: 'No such project in the org' } }, ({ ctx, params, body }) => updateProject({ ctx, id: params.id, input: body }));
}
