import type { ColumnType, Generated } from 'kysely';

/** JSON columns are jsonb on PostgreSQL and text on SQLite; read them with `fromJson`. */
type Json = ColumnType<unknown, string | null, string | null>;

export interface OrgsTable { id: string; name: string; created_at: number }
export interface UsersTable { id: string; email: string; password_hash: string; name: string | null; created_at: number }
export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'member' | 'viewer';
  created_at: number;
  /** Last request of the member in this org, written at most once a minute per process. */
  last_seen_at: number | null;
}
export interface InvitationsTable {
  id: string;
  org_id: string;
  email: string;
  role: 'owner' | 'admin' | 'member' | 'viewer';
  /** sha256 of the single-use token; the token itself is only in the link. */
  token_hash: string;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by: string | null;
  revoked_at: number | null;
}
export interface AuditLogTable {
  id: string;
  org_id: string;
  project_id: string | null;
  at: number;
  actor_type: 'user' | 'key';
  actor_id: string;
  /** The user's email or the key's prefix, as they were when the change was made. */
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Json;
  after: Json;
  ip: string | null;
  user_agent: string | null;
}
export interface ProjectsTable {
  id: string;
  org_id: string;
  name: string;
  created_at: number;
  /** Days of raw events to keep; null: forever. */
  retention_days: number | null;
  /** The retention job removed the raw events before this instant; null: none removed. */
  raw_events_since: number | null;
}
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
  /** JSON arrays: what the key may call through the proxy; null for anything. */
  allowed_models: string | null;
  allowed_providers: string | null;
  /** After this the key is refused everywhere; null: never. */
  expires_at: number | null;
  /** JSON object of labels. */
  metadata: string | null;
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
  /** The conversation or agent run the call belongs to; null when the call named none. */
  session_id: string | null;
  /** The API key that sent the event; null when a dashboard session sent it. */
  api_key_id: string | null;
  request_hash: string | null;
  tags: Json;
  metadata: Json;
  received_at: number;
  /** 1 when the proxy answered from its response cache (cost_nanos is then 0). */
  cache_hit: number;
  /** What a cache hit saved: its stored usage priced at the hit's time; null for other calls or when unpriced. */
  saved_nanos: number | null;
  /** How the provider processed the call (standard, batch, flex, priority); null when neither it nor the caller said: priced and counted as standard. */
  service_tier: string | null;
}
export interface UsageHourlyTable {
  project_id: string;
  hour: number;
  provider: string;
  model: string;
  /** '' when the event had no feature: a primary key column cannot be NULL. */
  feature: string;
  /** The events' service tier, 'standard' for those that reported none. */
  service_tier: string;
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
  cache_hits: number;
  saved_nanos: number;
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
  scope_end_user: string | null;
  scope_api_key_id: string | null;
  /** JSON object of tag key -> value; every pair must match. */
  scope_tags: string | null;
  /** A template: every value of this dimension has its own budget of the amount. */
  per: 'end_user' | 'api_key' | 'feature' | null;
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
  invitations: InvitationsTable;
  audit_log: AuditLogTable;
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
