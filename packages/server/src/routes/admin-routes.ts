import type { OpenAPIHono } from '@hono/zod-openapi';
import { RollupCheckAnswer } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { checkRollups } from '../usage/check-rollups.js';

/** Differences past this many are counted, not listed: a broken rollup table can differ everywhere. */
const MAX_LISTED = 1000;

export function registerAdminRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/admin/rollup-check', tag: 'admin', auth: 'admin',
    summary: "Recompute the project's hourly rollups from its raw events and list every difference",
    description: 'Read-only. To rewrite the rollups from the events, run `npm run check:rollups -- --repair`.',
    response: RollupCheckAnswer,
  }, async ({ ctx }) => {
    const check = await checkRollups({ db: ctx.db, input: { projectId: ctx.actor.projectId } });
    return {
      project_id: ctx.actor.projectId,
      consistent: check.differences.length === 0,
      keys_checked: check.keys_checked,
      events_counted: check.events_counted,
      difference_count: check.differences.length,
      differences: check.differences.slice(0, MAX_LISTED).map((d) => ({
        key: { hour: new Date(d.key.hour).toISOString(), provider: d.key.provider, model: d.key.model, feature: d.key.feature || null },
        field: d.field,
        stored: d.stored,
        recomputed: d.recomputed,
      })),
    };
  });
}
