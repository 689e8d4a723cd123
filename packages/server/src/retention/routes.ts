import type { OpenAPIHono } from '@hono/zod-openapi';
import { RetentionApplyAnswer } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { applyRetention } from './apply-retention.js';

export function registerRetentionRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'post', path: '/api/admin/retention/apply', tag: 'admin', auth: 'admin', role: 'admin',
    summary: "Remove the project's raw events older than its retention now, as the hourly job does",
    description:
      'Deletes in batches of 5,000 with a pause between them, so a large backlog takes a while; hourly rollups are kept. ' +
      'Answers 0 when the project keeps raw events forever (`retention_days` null, see PATCH /api/projects/{id}) or none has expired. A run that removed events is in the audit log (`retention.applied`).',
    response: RetentionApplyAnswer,
  }, ({ ctx }) => applyRetention({ ctx }));
}
