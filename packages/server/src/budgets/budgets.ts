import { AppError, type BudgetInput, type BudgetPatch, DEFAULT_ALERT_THRESHOLD, DEFAULT_THRESHOLDS, isValidTimeZone, nanosToUsd, usdToNanos } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import type { TenantContext } from '../context.js';
import type { BudgetsTable } from '../db/schema.js';
import { budgetStatus } from './budget-status.js';

function checkTimeZone(tz: string | undefined): void {
  if (tz !== undefined && !isValidTimeZone(tz)) {
    throw new AppError('validation_failed', `timezone: unknown time zone "${tz}"`, [{ path: 'timezone', message: 'unknown time zone' }]);
  }
}

export async function createBudget({ ctx, input }: { ctx: TenantContext; input: BudgetInput }) {
  checkTimeZone(input.timezone);
  const now = ctx.now();
  const row: BudgetsTable = {
    id: uuidv7(),
    project_id: ctx.actor.projectId,
    name: input.name ?? `${input.period[0].toUpperCase()}${input.period.slice(1)} budget`,
    amount_nanos: usdToNanos(input.amount),
    period: input.period,
    scope_provider: input.scope?.provider ?? null,
    scope_model: input.scope?.model ?? null,
    scope_feature: input.scope?.feature ?? null,
    thresholds: JSON.stringify(input.thresholds ?? DEFAULT_THRESHOLDS),
    alert_threshold: input.alert_threshold ?? DEFAULT_ALERT_THRESHOLD,
    hard_limit: input.hard_limit ? 1 : 0,
    timezone: input.timezone ?? 'UTC',
    created_at: now,
    updated_at: now,
  };
  await ctx.db.kysely.insertInto('budgets').values(row).execute();
  return presentBudget(ctx, row);
}

export async function listBudgets({ ctx }: { ctx: TenantContext }) {
  const rows = await ctx.db.kysely.selectFrom('budgets').selectAll().where('project_id', '=', ctx.actor.projectId).orderBy('created_at').orderBy('id').execute();
  return Promise.all(rows.map((r) => presentBudget(ctx, r)));
}

export async function findBudget(ctx: TenantContext, id: string): Promise<BudgetsTable> {
  const row = await ctx.db.kysely.selectFrom('budgets').selectAll().where('id', '=', id).where('project_id', '=', ctx.actor.projectId).executeTakeFirst();
  if (!row) throw new AppError('not_found', `budget ${id} not found`);
  return row;
}

export async function getBudget({ ctx, id }: { ctx: TenantContext; id: string }) {
  return presentBudget(ctx, await findBudget(ctx, id));
}

export async function updateBudget({ ctx, id, input }: { ctx: TenantContext; id: string; input: BudgetPatch }) {
  checkTimeZone(input.timezone);
  const current = await findBudget(ctx, id);
  const next: BudgetsTable = {
    ...current,
    name: input.name ?? current.name,
    amount_nanos: input.amount === undefined ? current.amount_nanos : usdToNanos(input.amount),
    period: input.period ?? current.period,
    scope_provider: input.scope === undefined ? current.scope_provider : (input.scope?.provider ?? null),
    scope_model: input.scope === undefined ? current.scope_model : (input.scope?.model ?? null),
    scope_feature: input.scope === undefined ? current.scope_feature : (input.scope?.feature ?? null),
    thresholds: input.thresholds ? JSON.stringify(input.thresholds) : current.thresholds,
    alert_threshold: input.alert_threshold ?? current.alert_threshold,
    hard_limit: input.hard_limit === undefined ? current.hard_limit : input.hard_limit ? 1 : 0,
    timezone: input.timezone ?? current.timezone,
    updated_at: ctx.now(),
  };
  await ctx.db.kysely.updateTable('budgets').set(next).where('id', '=', id).where('project_id', '=', ctx.actor.projectId).execute();
  return presentBudget(ctx, next);
}

export async function deleteBudget({ ctx, id }: { ctx: TenantContext; id: string }) {
  await findBudget(ctx, id);
  await ctx.db.kysely.deleteFrom('budgets').where('id', '=', id).where('project_id', '=', ctx.actor.projectId).execute();
}

export async function presentBudget(ctx: TenantContext, row: BudgetsTable) {
  const s = await budgetStatus(ctx, row, ctx.now());
  const scope = { provider: row.scope_provider ?? undefined, model: row.scope_model ?? undefined, feature: row.scope_feature ?? undefined };
  return {
    id: row.id,
    name: row.name,
    amount: nanosToUsd(row.amount_nanos),
    period: row.period,
    scope: scope.provider || scope.model || scope.feature ? scope : null,
    thresholds: JSON.parse(row.thresholds) as number[],
    alert_threshold: row.alert_threshold,
    hard_limit: row.hard_limit === 1,
    timezone: row.timezone,
    created_at: new Date(row.created_at).toISOString(),
    status: {
      spent: nanosToUsd(s.spent_nanos),
      spent_nanos: s.spent_nanos,
      remaining: nanosToUsd(Math.max(0, s.amount_nanos - s.spent_nanos)),
      percentage: s.percentage,
      alert: s.alert,
      exceeded: s.exceeded,
      reached: s.reached,
      period_start: new Date(s.period_start).toISOString(),
      period_end: new Date(s.period_end).toISOString(),
    },
  };
}
