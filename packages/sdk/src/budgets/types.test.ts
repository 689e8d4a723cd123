import type { BudgetAnswer, CostSummaryAnswer, RecommendationAnswer } from '@llmlab/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { Budget, CostSummary, Recommendation } from './types.js';

// The SDK keeps its own copies of these answers: its published declarations must not need zod or
// the private @llmlab/core. The type checker holds the copies to the server's wire schemas.
describe("the SDK's answer types", () => {
  it('accept every answer the server can give (the wire schemas of @llmlab/core)', () => {
    expectTypeOf<CostSummaryAnswer>().toExtend<CostSummary>();
    expectTypeOf<BudgetAnswer>().toExtend<Budget>();
    expectTypeOf<RecommendationAnswer>().toExtend<Recommendation>();
  });
});
