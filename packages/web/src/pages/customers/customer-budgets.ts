import { useQueries, useQuery } from '@tanstack/react-query';
import { useScope } from '../../api/session';
import type { Budget, BudgetUsage } from '../../api/types';

/** A budget that applies to one customer, with what that customer spent of it this period. */
export interface CustomerBudget {
  budget: Budget;
  /** USD spent this period; null when the template's first page of values did not reach this customer. */
  spent: number | null;
  percentage: number | null;
}

const VALUES_READ = 500;

/**
 * Budgets that apply to end users: those scoped to one (scope.end_user) and the templates that
 * give every end user a budget (per end_user), with each template's spend per customer this period.
 */
export function useCustomerBudgets() {
  const { api, projectId } = useScope();
  const budgets = useQuery({
    queryKey: ['budgets', projectId],
    queryFn: ({ signal }) => api.get<{ budgets: Budget[] }>('/api/budgets', undefined, signal),
  });
  const templates = (budgets.data?.budgets ?? []).filter((b) => b.per === 'end_user');
  const usages = useQueries({
    queries: templates.map((b) => ({
      queryKey: ['budget-usage', projectId, b.id, VALUES_READ],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<BudgetUsage>(`/api/budgets/${b.id}/usage`, { limit: VALUES_READ }, signal),
    })),
  });

  /** The budgets that apply to `user`, the most specific (scoped to them) first. */
  const forUser = (user: string): CustomerBudget[] => {
    const list = budgets.data?.budgets ?? [];
    const scoped = list
      .filter((b) => b.scope?.end_user === user)
      .map((budget) => ({ budget, spent: budget.status.spent, percentage: budget.status.percentage }));
    const fromTemplates = templates.map((budget, i) => {
      const usage = usages[i]?.data;
      const value = usage?.values.find((v) => v.value === user);
      // Values come highest spend first: past the last page there is nothing, so an absent customer spent $0.
      const complete = usage !== undefined && usage.next_cursor === null;
      return { budget, spent: value ? value.spent : complete ? 0 : null, percentage: value ? value.percentage : complete ? 0 : null };
    });
    return [...scoped, ...fromTemplates];
  };
  return { isPending: budgets.isPending, error: budgets.error, forUser };
}
