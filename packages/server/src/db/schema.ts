import type { ColumnType, Generated } from 'kysely';

/** JSON columns are jsonb on PostgreSQL and text on SQLite; read them with `fromJson`. */
type Json = ColumnType<unknown, string | null, string | null>;

export interface OrgsTable { id: string; name: string; created_at: number }
export interface UsersTable { id: string; email: string; password_hash: string; name: string | null; created_at: number }
export interface MembershipsTable { org_id: string; user_id: string; role: 'owner' | 'admin' | 'member'; created_at: number }
export interface ProjectsTable { id: string; org_id: string; name: string; created_at: number }
export interface ApiKeysTable {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** The user who created the key; null when unknown (older keys, or made by an admin key without one). */
  created_by: string | null;
}
export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}
export interface EventsTable {
  id: string;
  project_id: string;
  event_id: string;
  ts: number;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number | null;
  price_source: string | null;
  latency_ms: number | null;
  status: string;
  error_type: string | null;
  feature: string | null;
  end_user: string | null;
  environment: string | null;
  source: string;
  /** The API key that sent the event; null when a dashboard session sent it. */
  api_key_id: string | null;
  request_hash: string | null;
  tags: Json;
  metadata: Json;
  received_at: number;
}
export interface UsageHourlyTable {
  project_id: string;
  hour: number;
  provider: string;
  model: string;
  /** '' when the event had no feature: a primary key column cannot be NULL. */
  feature: string;
  calls: number;
  error_calls: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number;
  unpriced_calls: number;
  latency_ms_sum: number;
}
export interface BudgetsTable {
  id: string;
  project_id: string;
  name: string;
  amount_nanos: number;
  period: 'daily' | 'weekly' | 'monthly';
  scope_provider: string | null;
  scope_model: string | null;
  scope_feature: string | null;
  thresholds: string;
  alert_threshold: number;
  hard_limit: number;
  timezone: string;
  created_at: number;
  updated_at: number;
}
export interface PriceOverridesTable {
  id: string;
  org_id: string;
  provider: string;
  model: string;
  effective_from: number;
  input_mtok: number | null;
  output_mtok: number | null;
  cache_read_mtok: number | null;
  cache_write_mtok: number | null;
  created_at: number;
}

export interface Database {
  orgs: OrgsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  events: EventsTable;
  usage_hourly: UsageHourlyTable;
  budgets: BudgetsTable;
  price_overrides: PriceOverridesTable;
}

export type { Generated };

export type EventRow = import('kysely').Selectable<EventsTable>;

/** An event row as writers insert it: tags and metadata already serialised. */
export type EventInsert = Omit<EventsTable, 'tags' | 'metadata'> & { tags: string | null; metadata: string | null };
