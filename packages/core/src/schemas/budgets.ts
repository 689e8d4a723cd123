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

/** What a budget counts: every given field must match a call. */
const BudgetScope = z.strictObject({
  provider: scopeValue.optional(),
  model: scopeValue.optional(),
  feature: scopeValue.optional(),
  end_user: scopeValue.optional().describe('Only calls of this end user (user_id / x-llmlab-user)'),
  api_key_id: scopeValue.optional().describe('Only calls sent with this API key'),
  tags: z
    .record(z.string().trim().min(1).max(64), z.string().trim().min(1).max(200))
    .refine((t) => Object.keys(t).length >= 1 && Object.keys(t).length <= 10, { message: 'tags: give 1 to 10 tag pairs' })
    .optional()
    .describe('Only calls carrying every one of these tags, e.g. {"team": "search"}'),
});

export const BUDGET_PER = ['end_user', 'api_key', 'feature'] as const;
export type BudgetPer = (typeof BUDGET_PER)[number];
const Per = z.enum(BUDGET_PER, { error: 'per must be end_user, api_key or feature' });

export const BudgetInput = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  amount: z.number({ error: 'amount must be a number of USD' }).positive({ error: 'amount must be more than 0' }).max(1e9),
  period: z.enum(BUDGET_PERIODS, { error: 'period must be daily, weekly or monthly' }).default('monthly'),
  scope: BudgetScope.optional(),
  per: Per.optional().describe('A template: every end user, API key or feature gets its own budget of this amount and period'),
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
  scope: BudgetScope.nullable().optional(),
  per: Per.nullable().optional(),
  thresholds: thresholds.optional(),
  alert_threshold: z.number().min(1).max(1000).optional(),
  hard_limit: z.boolean().optional(),
  timezone: z.string().max(64).optional(),
});
export type BudgetPatch = z.infer<typeof BudgetPatch>;

const BudgetScopeAnswer = z.strictObject({
  provider: z.string().optional(),
  model: z.string().optional(),
  feature: z.string().optional(),
  end_user: z.string().optional(),
  api_key_id: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type BudgetScope = z.infer<typeof BudgetScopeAnswer>;

/** A budget with its current status (GET /api/budgets/{id}, and the answer of every budget write). */
export const BudgetAnswer = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    amount: Usd,
    period: z.enum(BUDGET_PERIODS),
    scope: BudgetScopeAnswer.nullable().describe('Only spend of this provider, model, feature, end user, key and tags counts; null for the whole project'),
    per: Per.nullable().describe('A template: each value of this dimension has its own budget; null for one budget'),
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
      value: z.string().nullable().describe('A template: the value spending most this period, which this status describes; null otherwise'),
      period_start: IsoTime,
      period_end: IsoTime,
    }),
  })
  .meta({ id: 'Budget' });
export type BudgetAnswer = z.infer<typeof BudgetAnswer>;

/** GET /api/budgets: oldest first. */
export const BudgetListAnswer = z.strictObject({ budgets: z.array(BudgetAnswer) }).meta({ id: 'BudgetList' });
export type BudgetListAnswer = z.infer<typeof BudgetListAnswer>;

/** One value of a template budget in the current period. */
export const BudgetValueUsage = z.strictObject({
  value: z.string().nullable().describe('The end user, API key id or feature; null for a budget that is not a template'),
  spent: Usd,
  spent_nanos: Nanos,
  remaining: Usd,
  percentage: z.number(),
  state: z.enum(['ok', 'alert', 'exceeded']),
});
export type BudgetValueUsage = z.infer<typeof BudgetValueUsage>;

/** GET /api/budgets/{id}/usage: the values of the current period, highest spend first. */
export const BudgetUsageAnswer = z
  .strictObject({
    period_start: IsoTime,
    period_end: IsoTime,
    values: z.array(BudgetValueUsage),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'BudgetUsage' });
export type BudgetUsageAnswer = z.infer<typeof BudgetUsageAnswer>;
