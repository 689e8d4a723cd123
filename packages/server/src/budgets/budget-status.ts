import { evaluateBudget, HOUR_MS, periodWindow } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import type { BudgetsTable } from '../db/schema.js';
import { spendQuery } from '../usage/read-rollups.js';

export interface BudgetStatus {
  budget_id: string;
  period: BudgetsTable['period'];
  amount_nanos: number;
  spent_nanos: number;
  percentage: number;
  alert: boolean;
  exceeded: boolean;
  reached: number[];
  period_start: number;
  period_end: number;
}

/** The query for the spend of the budget's scope in the period around `now` (one row, `cost`), and that period. */
export function budgetSpendQuery(ctx: TenantContext, budget: BudgetsTable, now: number) {
  const window = periodWindow(budget.period, now, budget.timezone);
  // Rollups are hourly: the period's first hour bucket starts at or before the period start.
  const query = spendQuery(ctx, Math.floor(window.start / HOUR_MS) * HOUR_MS, window.end, {
    provider: budget.scope_provider ?? undefined,
    model: budget.scope_model ?? undefined,
    feature: budget.scope_feature ?? undefined,
  });
  return { window, query };
}

/** Spend of the budget's scope in its current period, against its amount and thresholds. */
export async function budgetStatus(ctx: TenantContext, budget: BudgetsTable, now: number): Promise<BudgetStatus> {
  const { window, query } = budgetSpendQuery(ctx, budget, now);
  const spent = Number((await query.executeTakeFirst())?.cost ?? 0);
  const thresholds = JSON.parse(budget.thresholds) as number[];
  const e = evaluateBudget({ amount_nanos: budget.amount_nanos, spent_nanos: spent, thresholds, alert_threshold: budget.alert_threshold });
  return {
    budget_id: budget.id,
    period: budget.period,
    amount_nanos: budget.amount_nanos,
    spent_nanos: spent,
    percentage: e.percentage,
    alert: e.alert,
    exceeded: e.exceeded,
    reached: e.reached,
    period_start: window.start,
    period_end: window.end,
  };
}

/** The budget the summary shows: the unscoped monthly one, else the first created. */
export async function primaryBudgetStatus(ctx: TenantContext, now: number): Promise<BudgetStatus | null> {
  const budgets = await ctx.db.kysely
    .selectFrom('budgets')
    .selectAll()
    .where('project_id', '=', ctx.actor.projectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (!budgets.length) return null;
  const unscoped = (b: BudgetsTable) => !b.scope_provider && !b.scope_model && !b.scope_feature;
  const primary = budgets.find((b) => b.period === 'monthly' && unscoped(b)) ?? budgets.find(unscoped) ?? budgets[0];
  return budgetStatus(ctx, primary, now);
}
