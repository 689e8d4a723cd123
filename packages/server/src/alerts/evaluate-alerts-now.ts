import type { AlertEvaluationAnswer } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { evaluateAlerts } from './evaluate-alerts.js';
import { presentAlerts } from './list-alerts.js';

/** Evaluates the project's alerts at once (see evaluateAlerts) and shows what fired, deliveries included. */
export async function evaluateAlertsNow({ ctx }: { ctx: TenantContext }): Promise<AlertEvaluationAnswer> {
  return { fired: await presentAlerts(ctx, await evaluateAlerts({ ctx })) };
}
