import type { RateLimitAnswer } from '@llmlab/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { RateLimit } from './types.js';

describe("the SDK's rate limit type", () => {
  it('accepts every rate limit the server can answer (the wire schema of @llmlab/core)', () => {
    expectTypeOf<RateLimitAnswer>().toExtend<RateLimit>();
  });
});
