import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { ErrorAnswer, SuccessAnswer } from './common.js';
import { RecommendationListAnswer } from './recommendations.js';

describe('the wire schemas of answers', () => {
  it('describe every error body AppError writes', () => {
    const plain = new AppError('not_found', 'budget 42 not found').toBody();
    const detailed = new AppError('validation_failed', 'amount: must be more than 0', [{ path: 'amount', message: 'must be more than 0' }]).toBody();
    expect(ErrorAnswer.parse(plain)).toEqual({ error: { code: 'not_found', message: 'budget 42 not found' } });
    expect(ErrorAnswer.parse(detailed).error.details).toEqual([{ path: 'amount', message: 'must be more than 0' }]);
    expect(ErrorAnswer.safeParse({ error: { code: 'teapot', message: 'no' } }).success).toBe(false);
  });

  it('refuse a field they do not declare', () => {
    expect(SuccessAnswer.safeParse({ success: true }).success).toBe(true);
    expect(SuccessAnswer.safeParse({ success: true, id: 'x' }).success).toBe(false);
    expect(ErrorAnswer.safeParse({ error: { code: 'internal', message: 'x', stack: 'at ...' } }).success).toBe(false);
  });

  it('describe the recommendations as a list', () => {
    expect(RecommendationListAnswer.safeParse([]).success).toBe(true);
    expect(RecommendationListAnswer.safeParse({ recommendations: [] }).success).toBe(false);
  });
});
