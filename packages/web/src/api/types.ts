/** Wire shapes of the LLMLab HTTP API (docs/api.md), as the dashboard reads them. */

export interface User {
  id: string;
  email: string;
  name?: string | null;
}

export interface Org {
  id: string;
  name: string;
}

export interface Project {
  id: string;
  name: string;
  created_at?: string | number;
}

export interface Me {
  user: User;
  org: Org;
  project: Project;
  projects: Project[];
  role: string;
  auth: 'session' | 'api_key';
  scopes: string[];
}

export type GroupBy = 'provider' | 'model' | 'feature' | 'user';

export interface SeriesPoint {
  t: string;
  spend: number;
  calls: number;
}

export interface Timeseries {
  granularity: 'hour' | 'day';
  group_by: GroupBy;
  series: { key: string; total: number; points: SeriesPoint[] }[];
  buckets: string[];
}

export interface BreakdownRow {
  key: string;
  provider?: string;
  model?: string;
  spend: number;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  unpriced_calls: number;
  share: number;
}

export interface Breakdown {
  group_by: GroupBy;
  rows: BreakdownRow[];
  total: number;
}

export interface Summary {
  total_spend: number;
  this_month_spend: number;
  today_spend: number;
  calls: number;
  unpriced_calls: number;
  days: number;
  tz: string;
  from: string;
  to: string;
}

export interface LlmEvent {
  event_id: string;
  ts: number;
  timestamp: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost: number | null;
  cost_nanos: number | null;
  priced: boolean;
  price_source: string | null;
  latency_ms: number | null;
  status: string | null;
  error_type: string | null;
  feature: string | null;
  user_id: string | null;
  environment: string | null;
  source: string | null;
  request_hash: string | null;
  tags: Record<string, string> | null;
  metadata: Record<string, unknown> | null;
}

export interface EventPage {
  events: LlmEvent[];
  next_cursor: string | null;
}

export type BudgetPeriod = 'daily' | 'weekly' | 'monthly';

export interface BudgetScope {
  provider?: string;
  model?: string;
  feature?: string;
}

export interface BudgetStatus {
  spent: number;
  percentage: number;
  alert: boolean;
  exceeded: boolean;
  reached: number[];
  period_start: string | number;
  period_end: string | number;
}

export interface Budget {
  id: string;
  name?: string | null;
  amount: number;
  period: BudgetPeriod;
  scope?: BudgetScope | null;
  thresholds: number[];
  alert_threshold?: number;
  hard_limit: boolean;
  timezone?: string;
  created_at?: string | number;
  status: BudgetStatus;
}

export interface BudgetInput {
  name?: string;
  amount: number;
  period: BudgetPeriod;
  scope?: BudgetScope | null;
  thresholds: number[];
  hard_limit: boolean;
}

export interface AlertDelivery {
  channel_id?: string;
  channel_type?: string;
  channel_name?: string;
  status: string;
  attempts?: number;
  last_error?: string | null;
}

export interface FiredAlert {
  id: string;
  type?: string;
  budget_id?: string | null;
  budget_name?: string | null;
  threshold?: number;
  period_start?: string | number;
  fired_at?: string | number;
  created_at?: string | number;
  deliveries?: AlertDelivery[];
  message?: string;
}

export type ChannelType = 'webhook' | 'slack' | 'email';

export interface AlertChannel {
  id: string;
  type: ChannelType;
  name?: string | null;
  target?: string;
  url?: string;
  email?: string;
  enabled?: boolean;
  created_at?: string | number;
  /** A webhook's signing secret, returned once when the channel is created. */
  secret?: string;
}

export interface Recommendation {
  id?: string;
  type: string;
  title: string;
  description: string;
  estimated_monthly_savings: number;
  savings_percentage: number;
  confidence: number | string;
  evidence: unknown;
  action: unknown;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string | number;
  last_used_at: string | number | null;
  revoked_at: string | number | null;
}

export interface PriceOverride {
  id: string;
  provider: string;
  model: string;
  effective_from: string | number;
  input_mtok: number;
  output_mtok: number;
  cache_read_mtok?: number | null;
  cache_write_mtok?: number | null;
}
