import { AppError, type BudgetAnswer, type BudgetInput, type BudgetPatch, DEFAULT_ALERT_THRESHOLD, DEFAULT_THRESHOLDS, isValidTimeZone, nanosToUsd, usdToNanos } from '@llmlab/core';
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { audit } from '../audit/record-audit.js';
import type { TenantContext } from '../context.js';
import type { BudgetsTable, Database } from '../db/schema.js';
import { scopeColumns, scopeOf } from './budget-scope.js';
import { budgetStatus } from './budget-status.js';

function checkTimeZone(tz: string | undefined): void {
  if (tz !== undefined && !isValidTimeZone(tz)) {
    throw new AppError('validation_failed', `timezone: unknown time zone "${tz}"`, [{ path: 'timezone', message: 'unknown time zone' }]);
  }
}

/** A key in a scope must be one of the project's keys. */
async function checkScopeKey(ctx: TenantContext, keyId: string | undefined, db: Kysely<Database> = ctx.db.kysely): Promise<void> {
  if (keyId === undefined) return;
  const key = await db.selectFrom('api_keys').select('id').where('id', '=', keyId).where('project_id', '=', ctx.actor.projectId).executeTakeFirst();
  if (!key) throw new AppError('validation_failed', `scope.api_key_id: no API key ${keyId} in this project`, [{ path: 'scope.api_key_id', message: 'not a key of this project' }]);
}

/**
 * Creates a budget, in `trx` when given (a key made with its budget commits both together),
 * else in a transaction of its own.
 */
export async function createBudget({ ctx, input, trx }: { ctx: TenantContext; input: Omit<BudgetInput, 'period' | 'hard_limit'> & Partial<Pick<BudgetInput, 'period' | 'hard_limit'>>; trx?: Transaction<Database> }): Promise<BudgetAnswer> {
  if (!trx) return ctx.db.transaction((own) => createBudget({ ctx, input, trx: own }));
  checkTimeZone(input.timezone);
  await checkScopeKey(ctx, input.scope?.api_key_id, trx);
  const now = ctx.now();
  const period = input.period ?? 'monthly';
  const row: BudgetsTable = {
    id: uuidv7(),
    project_id: ctx.actor.projectId,
    name: input.name ?? `${period[0].toUpperCase()}${period.slice(1)} budget`,
    amount_nanos: usdToNanos(input.amount),
    period,
    ...scopeColumns(input.scope),
    per: input.per ?? null,
    thresholds: JSON.stringify(input.thresholds ?? DEFAULT_THRESHOLDS),
    alert_threshold: input.alert_threshold ?? DEFAULT_ALERT_THRESHOLD,
    hard_limit: input.hard_limit ? 1 : 0,
    timezone: input.timezone ?? 'UTC',
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('budgets').values(row).execute();
  await audit(trx, ctx, { action: 'budget.created', targetType: 'budget', targetId: row.id, projectId: row.project_id, after: describeBudget(row) });
  // Read in the transaction: SQLite has one connection, which the transaction holds.
  return presentBudget({ ...ctx, db: { ...ctx.db, kysely: trx } }, row);
}

export async function listBudgets({ ctx }: { ctx: TenantContext }) {
  const rows = await ctx.db.kysely.selectFrom('budgets').selectAll().where('project_id', '=', ctx.actor.projectId).orderBy('created_at').orderBy('id').execute();
  return Promise.all(rows.map((r) => presentBudget(ctx, r)));
}

/** The project's budget, or not_found; read in `trx` when given, and locked until it ends. */
export async function findBudget(ctx: TenantContext, id: string, trx?: Transaction<Database>): Promise<BudgetsTable> {
  const query = (trx ?? ctx.db.kysely).selectFrom('budgets').selectAll().where('id', '=', id).where('project_id', '=', ctx.actor.projectId);
  const row = await (trx ? ctx.db.forUpdate(query) : query).executeTakeFirst();
  if (!row) throw new AppError('not_found', `budget ${id} not found`);
  return row;
}

export async function getBudget({ ctx, id }: { ctx: TenantContext; id: string }) {
  return presentBudget(ctx, await findBudget(ctx, id));
}

export async function updateBudget({ ctx, id, input }: { ctx: TenantContext; id: string; input: BudgetPatch }) {
  checkTimeZone(input.timezone);
  await checkScopeKey(ctx, input.scope?.api_key_id);
  const updated = await ctx.db.transaction(async (trx) => {
    const current = await findBudget(ctx, id, trx);
    const next = nextBudget(current, input, ctx.now());
    await trx.updateTable('budgets').set(next).where('id', '=', id).where('project_id', '=', ctx.actor.projectId).execute();
    await audit(trx, ctx, { action: 'budget.updated', targetType: 'budget', targetId: id, projectId: current.project_id, before: describeBudget(current), after: describeBudget(next) });
    return next;
  });
  return presentBudget(ctx, updated);
}

function nextBudget(current: BudgetsTable, input: BudgetPatch, now: number): BudgetsTable {
  return {
    ...current,
    name: input.name ?? current.name,
    amount_nanos: input.amount === undefined ? current.amount_nanos : usdToNanos(input.amount),
    period: input.period ?? current.period,
    ...(input.scope === undefined ? {} : scopeColumns(input.scope)),
    per: input.per === undefined ? current.per : input.per,
    thresholds: input.thresholds ? JSON.stringify(input.thresholds) : current.thresholds,
    alert_threshold: input.alert_threshold ?? current.alert_threshold,
    hard_limit: input.hard_limit === undefined ? current.hard_limit : input.hard_limit ? 1 : 0,
    timezone: input.timezone ?? current.timezone,
    updated_at: now,
  };
}

export async function deleteBudget({ ctx, id }: { ctx: TenantContext; id: string }) {
  await ctx.db.transaction(async (trx) => {
    const current = await trx.deleteFrom('budgets').where('id', '=', id).where('project_id', '=', ctx.actor.projectId).returningAll().executeTakeFirst();
    if (!current) throw new AppError('not_found', `budget ${id} not found`);
    await audit(trx, ctx, { action: 'budget.deleted', targetType: 'budget', targetId: id, projectId: current.project_id, before: describeBudget(current) });
  });
}

/** What a budget is, as its answer shows it without the status (which moves with spend): the audit log's before and after. */
function describeBudget(row: BudgetsTable) {
  return {
    name: row.name,
    amount: nanosToUsd(row.amount_nanos),
    period: row.period,
    scope: scopeOf(row),
    per: row.per,
    thresholds: JSON.parse(row.thresholds) as number[],
    alert_threshold: row.alert_threshold,
    hard_limit: row.hard_limit === 1,
    timezone: row.timezone,
  };
}

export async function presentBudget(ctx: TenantContext, row: BudgetsTable) {
  const s = await budgetStatus(ctx, row, ctx.now());
  return {
    id: row.id,
    ...describeBudget(row),
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
      value: s.value,
    },
  };
}
