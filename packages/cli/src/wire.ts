/** The server's answers the CLI reads: the wire schemas of @llmlab/core, as docs/api.md lists them. */
import type {
  ApiKeyAnswer,
  ReconcileAnswer,
  ReconciliationAnswer,
  AuditEntryAnswer,
  AuditLogAnswer,
  BudgetAnswer,
  BudgetUsageAnswer,
  BudgetValueUsage,
  CostSummaryAnswer,
  CreatedApiKeyAnswer,
  CreatedInvitationAnswer,
  ExperimentComparisonAnswer,
  ForecastAnswer,
  InvitationAnswer,
  MeAnswer,
  MemberAnswer,
  ProjectAnswer,
  RateLimitAnswer,
  RecommendationAnswer,
  RetentionApplyAnswer,
  SessionCallsAnswer,
  SessionListAnswer,
  TrackAnswer,
} from '@llmlab/core';

export type Summary = CostSummaryAnswer;
export type BudgetStatus = NonNullable<CostSummaryAnswer['budget_status']>;
export type Budget = BudgetAnswer;
/** GET /api/budgets/{id}/usage: a template's values in the current period, highest spend first. */
export type BudgetUsage = BudgetUsageAnswer;
export type { BudgetValueUsage };
export type Recommendation = RecommendationAnswer;
export type TrackResult = TrackAnswer;
export type Me = MeAnswer;
/** GET /api/costs/forecast: the period's projected spend with its 80% interval. */
export type Forecast = ForecastAnswer;
/** GET /api/members: one person of the org with their role. */
export type Member = MemberAnswer;
/** GET /api/invitations: a pending invitation. */
export type Invitation = InvitationAnswer;
/** POST /api/invitations: the invitation with its single-use link, shown this once. */
export type CreatedInvitation = CreatedInvitationAnswer;
export type AuditEntry = AuditEntryAnswer;
/** GET /api/audit-log: one page, newest first. */
export type AuditPage = AuditLogAnswer;
/** GET /api/keys: a key with its own limits and its budget's spend, never the key itself. */
export type ApiKey = ApiKeyAnswer;
/** POST /api/keys: the key itself is in `key`, shown this once. */
export type CreatedApiKey = CreatedApiKeyAnswer;
export type RateLimit = RateLimitAnswer;
/** GET /api/projects, PATCH /api/projects/{id}: a project with its retention of raw events. */
export type Project = ProjectAnswer;
/** POST /api/admin/retention/apply: how many raw events the run removed. */
export type RetentionApplyResult = RetentionApplyAnswer;
/** GET /api/experiments/compare: two arms, the difference of their mean cost per call and the verdict. */
export type Comparison = ExperimentComparisonAnswer;
/** GET /api/billing/reconciliation: each connected provider's bill against what LLMLab tracked, per UTC day. */
export type Reconciliation = ReconciliationAnswer;
/** POST /api/billing/reconcile: the bills read now, and the comparison. */
export type ReconcileResult = ReconcileAnswer;
/** GET /api/sessions: the sessions of a range, the most expensive (or most recent) first. */
export type SessionList = SessionListAnswer;
/** GET /api/sessions/{id}: a session's totals and its calls in order. */
export type SessionCalls = SessionCallsAnswer;
