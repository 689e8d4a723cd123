/** The server's answers the CLI reads: the wire schemas of @llmlab/core, as docs/api.md lists them. */
import type { BudgetAnswer, CostSummaryAnswer, ForecastAnswer, MeAnswer, RecommendationAnswer, TrackAnswer } from '@llmlab/core';

export type Summary = CostSummaryAnswer;
export type BudgetStatus = NonNullable<CostSummaryAnswer['budget_status']>;
export type Budget = BudgetAnswer;
export type Recommendation = RecommendationAnswer;
export type TrackResult = TrackAnswer;
export type Me = MeAnswer;
/** GET /api/costs/forecast: the period's projected spend with its 80% interval. */
export type Forecast = ForecastAnswer;
