import { z } from 'zod';
import { Usd } from './common.js';

/** One way to spend less, priced on the project's own usage. */
export const RecommendationAnswer = z
  .strictObject({
    id: z.string().describe('Stable across runs for the same advice'),
    type: z.enum(['model_switch', 'prompt_size', 'provider_diversification', 'caching', 'batch_api']),
    title: z.string(),
    description: z.string(),
    estimated_monthly_savings: Usd.describe('USD a 30-day month would cost less'),
    savings_percentage: z.number().describe('Of the spend the advice is about, not of the whole project'),
    confidence: z.number().min(0).max(1),
    evidence: z.record(z.string(), z.unknown()).describe('The figures the advice rests on, by type'),
    action: z.string(),
  })
  .meta({ id: 'Recommendation' });
export type RecommendationAnswer = z.infer<typeof RecommendationAnswer>;

/** GET /api/recommendations: largest monthly saving first; empty for a project without usage. */
export const RecommendationListAnswer = z.array(RecommendationAnswer);
export type RecommendationListAnswer = z.infer<typeof RecommendationListAnswer>;
