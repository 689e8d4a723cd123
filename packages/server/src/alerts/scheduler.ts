import { DAY_MS } from '@llmlab/core';
import type { AppContext } from '../context.js';
import { evaluateAlerts } from './evaluate-alerts.js';

/** How often every active project is checked. */
export const ALERT_INTERVAL_MS = 60_000;

/**
 * Checks the alerts of every project with usage in the last two days, once a minute. Several
 * server processes may run it at once: each alert still fires once (see fireAlert).
 */
export function startAlertScheduler(ctx: AppContext, intervalMs = ALERT_INTERVAL_MS): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const projects = await ctx.db.kysely
        .selectFrom('usage_hourly')
        .innerJoin('projects', 'projects.id', 'usage_hourly.project_id')
        .where('usage_hourly.hour', '>=', ctx.now() - 2 * DAY_MS)
        .select(['projects.id', 'projects.org_id'])
        .distinct()
        .execute();
      for (const p of projects) {
        const actor = { kind: 'api_key' as const, orgId: p.org_id, projectId: p.id, scopes: new Set(['read' as const]) };
        await evaluateAlerts({ ctx: { ...ctx, actor } });
      }
    } catch (err) {
      ctx.log.error('alert check failed', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
