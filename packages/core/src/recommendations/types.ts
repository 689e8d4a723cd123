import type { ServiceTier } from '../pricing/service-tiers.js';

/** What one (provider, model, feature) did over the window, from the project's own events. */
export interface UsageAggregate {
  provider: string;
  model: string;
  /** null for calls without a feature. */
  feature: string | null;
  /** Priced calls only: unpriced calls cannot be compared with anything. */
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** What these calls cost, in nanos (overrides included). */
  cost_nanos: number;
  /** Calls whose request hash had already been seen in the window (identical requests). */
  repeated_requests?: number;
  /** Calls by local hour of day (24 entries), for telling batch jobs from interactive traffic. */
  hourly_calls?: readonly number[];
  /** From tags: true when the calls are marked batch / non-interactive, false when interactive. */
  batch_hint?: boolean;
  /** The tier the calls ran on; absent: standard. Aggregates of one (provider, model, feature) on two tiers are two rows. */
  service_tier?: ServiceTier;
}

export type RecommendationType = 'model_switch' | 'prompt_size' | 'provider_diversification' | 'caching' | 'batch_api';

export type EvidenceValue = string | number | boolean | null | EvidenceValue[] | { [key: string]: EvidenceValue };

export interface Recommendation {
  /** Stable across runs for the same advice: type and what it is about. */
  id: string;
  type: RecommendationType;
  title: string;
  description: string;
  /** USD a 30-day month would have cost less, from the window's usage. */
  estimated_monthly_savings: number;
  /** Savings as a percentage of the spend the advice is about (not of the whole project). */
  savings_percentage: number;
  /** 0-1: how likely the saving is real without hurting the product. */
  confidence: number;
  evidence: { [key: string]: EvidenceValue };
  action: string;
}

export interface RecommendInput {
  usage: readonly UsageAggregate[];
  /** Prices are taken at this instant. */
  now: number;
  /** Days the usage covers (default 30); savings are scaled to a 30-day month. */
  days?: number;
  /** Advice saving less than this per month is left out (default $1). */
  min_monthly_savings_usd?: number;
}

/** What every rule needs: the window and the scaling to a month. */
export interface RuleContext {
  now: number;
  /** Multiply a window's nanos by this to get a 30-day month's. */
  monthScale: number;
  minSavingsNanos: number;
}
