/** GET /api/rate-limits, as docs/api.md describes it (the SDK's own copy: its declarations need no zod). */
export interface RateLimit {
  id: string;
  name: string;
  scope: { provider?: string; model?: string; feature?: string; end_user?: string; api_key_id?: string } | null;
  /** Each end user, API key or feature has its own window. */
  per: 'end_user' | 'api_key' | 'feature' | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  /** USD. */
  cost_per_hour: number | null;
  created_at: string;
  updated_at: string;
}
