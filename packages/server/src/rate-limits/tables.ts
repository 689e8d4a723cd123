/** A rate limit of a project (migration 009). */
export interface RateLimitsTable {
  id: string;
  project_id: string;
  name: string;
  scope_provider: string | null;
  scope_model: string | null;
  scope_feature: string | null;
  scope_end_user: string | null;
  scope_api_key_id: string | null;
  /** 'end_user' | 'api_key' | 'feature': each value has its own window; null: one window. */
  per: string | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  cost_per_hour_nanos: number | null;
  created_at: number;
  updated_at: number;
}

/** What one bucket of one limit's window counted (migration 009). */
export interface RateLimitCountersTable {
  limit_id: string;
  /** 'requests' | 'tokens' | 'cost'. */
  metric: string;
  /** The end user, key or feature of a limit `per` one; '' for a limit with one window. */
  value: string;
  bucket_start: number;
  project_id: string;
  /** Calls, tokens or nanodollars counted in the bucket. */
  amount: number;
  /** When the bucket no longer counts in any window and may be swept. */
  expires_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    rate_limits: RateLimitsTable;
    rate_limit_counters: RateLimitCountersTable;
  }
}
