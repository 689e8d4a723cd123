/**
 * Wire shapes of the LLMLab HTTP API (docs/api.md), as the dashboard reads them: the answer
 * schemas of @llmlab/core (type-only imports: nothing of core is bundled), and the few shapes the
 * dashboard reads more loosely than the server answers (see Me and FiredAlert).
 */
import type {
  AlertChannelAnswer,
  ApiKeyAnswer,
  AuditAction,
  AuditEntryAnswer,
  AuditLogAnswer,
  BreakdownAnswer,
  BudgetAnswer,
  BudgetPer,
  BudgetPeriod,
  BudgetUsageAnswer,
  ChannelType,
  CostSummaryAnswer,
  CreatedInvitationAnswer,
  EventAnswer,
  EventPageAnswer,
  ExperimentComparisonAnswer,
  GatewayProvider,
  GatewaySettingsAnswer,
  GroupBy,
  InvitationAnswer,
  InvitationPreviewAnswer,
  LoginAnswer,
  MeAnswer,
  MemberAnswer,
  PriceOverrideAnswer,
  ProjectAnswer,
  ProviderKeyAnswer,
  RateLimitAnswer,
  RateLimitPer,
  RecommendationAnswer,
  Role,
  TimeseriesAnswer,
} from '@llmlab/core';

export type { Role };

export interface User {
  id: string;
  email: string;
  name?: string | null;
}

export interface Org {
  id: string;
  name: string;
}

export type Project = ProjectAnswer;

export type OrgMembership = MeAnswer['orgs'][number];

/** GET /api/me as a dashboard session reads it: always a user (MeAnswer allows null for an API key). */
export interface Me {
  user: User;
  org: Org;
  project: MeAnswer['project'];
  projects: MeAnswer['projects'];
  /** The role in this org; null only for an API key whose creator is unknown (never a dashboard session). */
  role: Role | null;
  /** Every org the user belongs to, for the org switcher. */
  orgs: OrgMembership[];
  auth: 'session' | 'api_key';
  scopes: string[];
}

/** GET /api/session: the probe on load; `me` is null for a signed-out visitor (a 200, so the browser logs no error). */
export interface Session {
  authenticated: boolean;
  me: Me | null;
  sso: { enabled: boolean };
}

export type { GroupBy };

export type SeriesPoint = TimeseriesAnswer['series'][number]['points'][number];

export type Timeseries = TimeseriesAnswer;

export type BreakdownRow = BreakdownAnswer['rows'][number];

export type Breakdown = BreakdownAnswer;

export type Summary = CostSummaryAnswer;

export type LlmEvent = EventAnswer;

export type EventPage = EventPageAnswer;

export type { BudgetPeriod };

export type BudgetScope = NonNullable<BudgetAnswer['scope']>;

export type BudgetStatus = BudgetAnswer['status'];

export type Budget = BudgetAnswer;

export type { BudgetPer };

export interface BudgetInput {
  name?: string;
  amount: number;
  period: BudgetPeriod;
  scope?: BudgetScope | null;
  /** A template: each end user, API key or feature gets its own budget; null clears it on edit. */
  per?: BudgetPer | null;
  thresholds: number[];
  hard_limit: boolean;
}

/** GET /api/budgets/{id}/usage: a template's values this period, highest spend first. */
export type BudgetUsage = BudgetUsageAnswer;

export type BudgetValueUsage = BudgetUsageAnswer['values'][number];

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

export type { ChannelType };

export type AlertChannel = AlertChannelAnswer;

export type Recommendation = RecommendationAnswer;

export type ApiKey = ApiKeyAnswer;

export type RateLimit = RateLimitAnswer;
export type { RateLimitPer };

export type PriceOverride = PriceOverrideAnswer;

export type { GatewayProvider };

export type ProviderKey = ProviderKeyAnswer;

export type GatewaySettings = GatewaySettingsAnswer;

export type Member = MemberAnswer;

export type Invitation = InvitationAnswer;

export type CreatedInvitation = CreatedInvitationAnswer;

export type InvitationPreview = InvitationPreviewAnswer;

/** POST /api/invitations/accept answers like log-in: the session (also set as cookies) and where to land. */
export type AcceptedInvitation = LoginAnswer;

export type { AuditAction };

export type AuditEntry = AuditEntryAnswer;

export type AuditLog = AuditLogAnswer;

/** GET /api/experiments/compare: two arms, the difference of their mean cost per call and the verdict. */
export type Comparison = ExperimentComparisonAnswer;
