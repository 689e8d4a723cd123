/** The server's response shapes the CLI reads (docs/api.md). */
export interface BudgetStatus {
  budget: number;
  spent: number;
  percentage: number;
  alert: boolean;
  budget_id?: string;
  period?: string;
}

export interface Summary {
  total_spend: number;
  this_month_spend: number;
  today_spend: number;
  by_model: Record<string, number>;
  by_provider: Record<string, number>;
  by_feature?: Record<string, number>;
  daily_trend: { date: string; spend: number }[];
  budget_status: BudgetStatus | null;
  calls?: number;
  unpriced_calls?: number;
  days?: number;
  tz?: string;
}

export interface Budget {
  id: string;
  name?: string | null;
  amount: number;
  period: string;
  scope?: { provider?: string; model?: string; feature?: string } | null;
  thresholds?: number[];
  alert_threshold?: number;
  hard_limit?: boolean;
  timezone?: string;
  status?: {
    spent: number;
    percentage: number;
    alert: boolean;
    exceeded: boolean;
    period_start?: string | number;
    period_end?: string | number;
  };
}

export interface Recommendation {
  type: string;
  title: string;
  description?: string;
  estimated_monthly_savings: number;
  savings_percentage?: number | null;
  confidence?: number | string | null;
  evidence?: unknown;
  action?: string | null;
}

export interface TrackResult {
  success: boolean;
  event_id: string;
  cost: number | null;
  cost_nanos?: number | null;
  priced: boolean;
  price_source?: string | null;
  duplicate?: boolean;
}

export interface Me {
  user?: { id: string; email: string; name?: string | null } | null;
  org?: { id: string; name: string } | null;
  project?: { id: string; name: string } | null;
  auth?: string;
  scopes?: string[];
  role?: string;
}

/** GET /api/costs/forecast: the period's projected spend with its 80% interval. */
export interface Forecast {
  period: string;
  tz: string;
  method: string;
  spent: number;
  projected_spend: number;
  low: number;
  high: number;
  days_elapsed: number;
  days_total: number;
  budget: number | null;
  budget_id: string | null;
  crosses_budget_on: string | null;
}
