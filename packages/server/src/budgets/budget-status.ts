import { evaluateBudget, HOUR_MS, periodWindow } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { jsonTextField } from '../db/dialect.js';
import type { BudgetsTable } from '../db/schema.js';
import { spendQuery } from '../usage/read-rollups.js';
import { needsEvents, perColumn, tagsOf } from './budget-scope.js';

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
  /** A template: the value this status is of (the top spender when none was asked); null otherwise. */
  value: string | null;
}

/** The project's events in the budget's current period that its scope covers (no select yet). */
export function scopedEvents(ctx: TenantContext, budget: BudgetsTable, window: { start: number; end: number }) {
  const tags = Object.entries(tagsOf(budget) ?? {});
  let q = ctx.db.kysely
    .selectFrom('events')
    .where('project_id', '=', ctx.actor.projectId)
    .where('ts', '>=', window.start)
    .where('ts', '<', window.end)
    .$if(budget.scope_provider !== null, (q) => q.where('provider', '=', budget.scope_provider as string))
    .$if(budget.scope_model !== null, (q) => q.where('model', '=', budget.scope_model as string))
    .$if(budget.scope_feature !== null, (q) => q.where('feature', '=', budget.scope_feature as string))
    .$if(budget.scope_end_user !== null, (q) => q.where('end_user', '=', budget.scope_end_user as string))
    .$if(budget.scope_api_key_id !== null, (q) => q.where('api_key_id', '=', budget.scope_api_key_id as string));
  for (const [key, value] of tags) q = q.where(jsonTextField(ctx.db.dialect, 'tags', key), '=', value);
  return q;
}

/**
 * The query for the spend of the budget's scope in the period around `now` (one row, `cost`), and
 * that period. For a template, `value` names whose spend; without it the query is the top
 * spender's. Usable as a subquery.
 */
export function budgetSpendQuery(ctx: TenantContext, budget: BudgetsTable, now: number, value?: string) {
  const window = periodWindow(budget.period, now, budget.timezone);
  if (!needsEvents(budget)) {
    // Rollups are hourly: the period's first hour bucket starts at or before the period start.
    const query = spendQuery(ctx, Math.floor(window.start / HOUR_MS) * HOUR_MS, window.end, {
      provider: budget.scope_provider ?? undefined,
      model: budget.scope_model ?? undefined,
      feature: budget.scope_feature ?? undefined,
    });
    return { window, query };
  }
  const events = scopedEvents(ctx, budget, window);
  const sum = events.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost'));
  if (!budget.per) return { window, query: sum };
  const column = perColumn(budget.per);
  if (value !== undefined) return { window, query: sum.where(column, '=', value) };
  const top = events
    .select((eb) => [eb.ref(column).as('value'), eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost')])
    .where(column, 'is not', null)
    .groupBy(column)
    .orderBy('cost', 'desc')
    .limit(1);
  return { window, query: top };
}

/** Spend of the budget's scope in its current period (of `value`, or the top value, for a template), against its amount and thresholds. */
export async function budgetStatus(ctx: TenantContext, budget: BudgetsTable, now: number, value?: string): Promise<BudgetStatus> {
  const { window, query } = budgetSpendQuery(ctx, budget, now, value);
  const row = (await query.executeTakeFirst()) as { cost?: number | string | null; value?: string | null } | undefined;
  const spent = Number(row?.cost ?? 0);
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
    value: budget.per ? (value ?? row?.value ?? null) : null,
  };
}

/** The budget the summary shows: the unscoped monthly one, else the first created (templates aside). */
export async function primaryBudgetStatus(ctx: TenantContext, now: number): Promise<BudgetStatus | null> {
  const budgets = await ctx.db.kysely
    .selectFrom('budgets')
    .selectAll()
    .where('project_id', '=', ctx.actor.projectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (!budgets.length) return null;
  const unscoped = (b: BudgetsTable) => !b.scope_provider && !b.scope_model && !b.scope_feature && !needsEvents(b);
  const primary = budgets.find((b) => b.period === 'monthly' && unscoped(b)) ?? budgets.find(unscoped) ?? budgets.find((b) => !b.per) ?? budgets[0];
  return budgetStatus(ctx, primary, now);
}
