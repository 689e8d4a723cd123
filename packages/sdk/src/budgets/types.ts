/** Shapes of LLMLab's read endpoints, as docs/api.md describes them. */

export interface BudgetScope {
  provider?: string;
  model?: string;
  feature?: string;
  end_user?: string;
  api_key_id?: string;
  tags?: Record<string, string>;
}

/** GET /api/budgets/{id}/usage: a template budget's values this period, highest spend first. */
export interface BudgetUsagePage {
  values: { value: string | null; spent: number; remaining: number; percentage: number; state: 'ok' | 'alert' | 'exceeded' }[];
  next_cursor: string | null;
}

export interface Budget {
  id: string;
  name: string | null;
  amount: number;
  period: 'daily' | 'weekly' | 'monthly';
  scope: BudgetScope | null;
  /** A template: each end user, API key or feature has its own budget of the amount. */
  per?: 'end_user' | 'api_key' | 'feature' | null;
  thresholds: number[];
  alert_threshold?: number;
  hard_limit: boolean;
  timezone?: string;
  created_at: number | string;
  status: {
    spent: number;
    percentage: number;
    alert: boolean;
    exceeded: boolean;
    reached: number[];
    period_start: number | string;
    period_end: number | string;
  };
}

export interface CostSummary {
  total_spend: number;
  this_month_spend: number;
  today_spend: number;
  by_model: Record<string, number>;
  by_provider: Record<string, number>;
  by_feature: Record<string, number>;
  daily_trend: { date: string; spend: number }[];
  budget_status: {
    budget: number;
    spent: number;
    percentage: number;
    alert: boolean;
    budget_id: string;
    period: string;
  } | null;
  calls: number;
  unpriced_calls: number;
  tokens: { input: number; output: number; cached_input: number; cache_write: number; reasoning: number };
  days: number;
  tz: string;
  from: string;
  to: string;
  currency: string;
}

export interface Recommendation {
  type: string;
  title: string;
  description: string;
  estimated_monthly_savings: number;
  savings_percentage: number;
  confidence: string | number;
  evidence: unknown;
  action: unknown;
}
