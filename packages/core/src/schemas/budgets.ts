import { z } from 'zod';
import { IsoTime, Nanos, Usd } from './common.js';

export const BUDGET_PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
export const DEFAULT_THRESHOLDS = [50, 80, 100];
export const DEFAULT_ALERT_THRESHOLD = 80;

const thresholds = z
  .array(z.number().int().min(1).max(1000))
  .min(1)
  .max(10)
  .transform((t) => [...new Set(t)].sort((a, b) => a - b));

const scopeValue = z.string().trim().min(1).max(200);

export const BudgetInput = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  amount: z.number({ error: 'amount must be a number of USD' }).positive({ error: 'amount must be more than 0' }).max(1e9),
  period: z.enum(BUDGET_PERIODS, { error: 'period must be daily, weekly or monthly' }).default('monthly'),
  scope: z
    .strictObject({ provider: scopeValue.optional(), model: scopeValue.optional(), feature: scopeValue.optional() })
    .optional(),
  thresholds: thresholds.optional(),
  alert_threshold: z.number().min(1).max(1000).optional(),
  hard_limit: z.boolean().default(false),
  timezone: z.string().max(64).optional(),
});
export type BudgetInput = z.infer<typeof BudgetInput>;

export const BudgetPatch = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  amount: z.number().positive().max(1e9).optional(),
  period: z.enum(BUDGET_PERIODS).optional(),
  scope: z
    .strictObject({ provider: scopeValue.optional(), model: scopeValue.optional(), feature: scopeValue.optional() })
    .nullable()
    .optional(),
  thresholds: thresholds.optional(),
  alert_threshold: z.number().min(1).max(1000).optional(),
  hard_limit: z.boolean().optional(),
  timezone: z.string().max(64).optional(),
});
export type BudgetPatch = z.infer<typeof BudgetPatch>;

const BudgetScopeAnswer = z.strictObject({ provider: z.string().optional(), model: z.string().optional(), feature: z.string().optional() });

/** A budget with its current status (GET /api/budgets/{id}, and the answer of every budget write). */
export const BudgetAnswer = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    amount: Usd,
    period: z.enum(BUDGET_PERIODS),
    scope: BudgetScopeAnswer.nullable().describe('Only spend of this provider, model and feature counts; null for the whole project'),
    thresholds: z.array(z.number().int()).describe('Percentages of the amount that fire an alert, ascending'),
    alert_threshold: z.number(),
    hard_limit: z.boolean().describe('The proxy and the SDK guard refuse calls once the budget is spent'),
    timezone: z.string(),
    created_at: IsoTime,
    status: z.strictObject({
      spent: Usd,
      spent_nanos: Nanos,
      remaining: Usd,
      percentage: z.number(),
      alert: z.boolean(),
      exceeded: z.boolean(),
      reached: z.array(z.number().int()).describe('The thresholds reached in this period'),
      period_start: IsoTime,
      period_end: IsoTime,
    }),
  })
  .meta({ id: 'Budget' });
export type BudgetAnswer = z.infer<typeof BudgetAnswer>;

/** GET /api/budgets: oldest first. */
export const BudgetListAnswer = z.strictObject({ budgets: z.array(BudgetAnswer) }).meta({ id: 'BudgetList' });
export type BudgetListAnswer = z.infer<typeof BudgetListAnswer>;
