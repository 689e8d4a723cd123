import { AppError, type BudgetUsageAnswer, type BudgetValueUsage, evaluateBudget, nanosToUsd } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { perColumn } from './budget-scope.js';
import { budgetStatus, scopedEvents } from './budget-status.js';
import { findBudget } from './budgets.js';
import { periodWindow } from '@llmlab/core';

function present(amount: number, thresholds: number[], alertThreshold: number, value: string | null, spent: number): BudgetValueUsage {
  const e = evaluateBudget({ amount_nanos: amount, spent_nanos: spent, thresholds, alert_threshold: alertThreshold });
  return {
    value,
    spent: nanosToUsd(spent),
    spent_nanos: spent,
    remaining: nanosToUsd(Math.max(0, amount - spent)),
    percentage: e.percentage,
    state: e.exceeded ? 'exceeded' : e.alert ? 'alert' : 'ok',
  };
}

const decodeOffset = (cursor: string): number => {
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(n) || n < 0) throw new AppError('bad_request', 'cursor is not one this API returned');
  return n;
};

/**
 * The spend of each value of a template budget in its current period, highest first (one row,
 * value null, for a budget that is not a template). `value` narrows to one value, which is
 * listed at 0 when it has not spent yet.
 */
export async function budgetUsage({ ctx, id, input }: { ctx: TenantContext; id: string; input: { limit: number; cursor?: string; value?: string } }): Promise<BudgetUsageAnswer> {
  const budget = await findBudget(ctx, id);
  const now = ctx.now();
  const window = periodWindow(budget.period, now, budget.timezone);
  const thresholds = JSON.parse(budget.thresholds) as number[];
  const row = (value: string | null, spent: number) => present(budget.amount_nanos, thresholds, budget.alert_threshold, value, spent);
  const period = { period_start: new Date(window.start).toISOString(), period_end: new Date(window.end).toISOString() };
  if (!budget.per || input.value !== undefined) {
    const s = await budgetStatus(ctx, budget, now, budget.per ? input.value : undefined);
    return { ...period, values: [row(budget.per ? (input.value ?? null) : null, s.spent_nanos)], next_cursor: null };
  }
  const offset = input.cursor ? decodeOffset(input.cursor) : 0;
  const column = perColumn(budget.per);
  const rows = await scopedEvents(ctx, budget, window)
    .select((eb) => [eb.ref(column).as('value'), eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost')])
    .where(column, 'is not', null)
    .groupBy(column)
    .orderBy('cost', 'desc')
    .orderBy(column)
    .limit(input.limit + 1)
    .offset(offset)
    .execute();
  const page = rows.slice(0, input.limit);
  return {
    ...period,
    values: page.map((r) => row(String(r.value), Number(r.cost))),
    next_cursor: rows.length > input.limit ? Buffer.from(String(offset + input.limit)).toString('base64url') : null,
  };
}
