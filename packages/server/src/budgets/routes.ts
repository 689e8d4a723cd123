import type { OpenAPIHono } from '@hono/zod-openapi';
import { BudgetAnswer, BudgetInput, BudgetListAnswer, BudgetPatch, BudgetUsageAnswer, SuccessAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { budgetUsage } from './budget-usage.js';
import { createBudget, deleteBudget, getBudget, listBudgets, updateBudget } from './budgets.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const NO_BUDGET = { 404: 'No such budget in the project' };

export function registerBudgetRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, { method: 'get', path: '/api/budgets', tag: 'budgets', summary: 'Budgets with their current status', auth: 'read', role: 'viewer', response: BudgetListAnswer }, async ({ ctx }) => ({ budgets: await listBudgets({ ctx }) }));
  defineRoute(app, ctx, { method: 'post', path: '/api/budgets', tag: 'budgets', summary: 'Create a daily, weekly or monthly budget, optionally scoped', auth: 'admin', role: 'admin', body: BudgetInput, response: BudgetAnswer, status: 201 }, ({ ctx, body }) => createBudget({ ctx, input: body }));
  defineRoute(app, ctx, { method: 'get', path: '/api/budgets/{id}', tag: 'budgets', summary: 'One budget and its status', auth: 'read', role: 'viewer', params: Id, response: BudgetAnswer, errors: NO_BUDGET }, ({ ctx, params }) => getBudget({ ctx, id: params.id }));
  defineRoute(app, ctx, { method: 'patch', path: '/api/budgets/{id}', tag: 'budgets', summary: 'Change a budget', auth: 'admin', role: 'admin', params: Id, body: BudgetPatch, response: BudgetAnswer, errors: NO_BUDGET }, ({ ctx, params, body }) => updateBudget({ ctx, id: params.id, input: body }));
  defineRoute(app, ctx, { method: 'delete', path: '/api/budgets/{id}', tag: 'budgets', summary: 'Delete a budget', auth: 'admin', role: 'admin', params: Id, response: SuccessAnswer, errors: NO_BUDGET }, async ({ ctx, params }) => {
    await deleteBudget({ ctx, id: params.id });
    return { success: true } as const;
  });
  defineRoute(app, ctx, {
    method: 'get', path: '/api/budgets/{id}/usage', tag: 'budgets', summary: "Spend of each value of a template budget (each end user, key or feature) in the current period", auth: 'read', role: 'viewer', params: Id,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(100).optional(), value: z.string().min(1).max(256).optional() }),
    response: BudgetUsageAnswer, errors: NO_BUDGET,
    description: 'Highest spend first; `next_cursor` pages on. `value` narrows to one end user, key or feature (listed at $0 when it has not spent). A budget that is not a template answers one row with value null.',
  }, ({ ctx, params, query }) => budgetUsage({ ctx, id: params.id, input: query }));
}
