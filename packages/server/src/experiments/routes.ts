import type { OpenAPIHono } from '@hono/zod-openapi';
import { ExperimentComparisonAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeParam } from '../http/query-params.js';
import { compareExperiment } from './compare-experiment.js';
import type { Dimension } from './read-arm-calls.js';

/** The one message every way of getting the dimension wrong gets, naming what was sent. */
const dimensionError = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'dimension is required: model, feature or tag:<name>' : `dimension must be model, feature or tag:<name> (got "${String(issue.input).slice(0, 80)}")`;

/** model, feature or tag:<name>, the tag name as events carry it (1 to 64 characters). */
const DimensionParam = z
  .union([z.enum(['model', 'feature'], { error: dimensionError }), z.string({ error: dimensionError }).regex(/^tag:(?=.*\S).{1,64}$/, { error: dimensionError })], { error: dimensionError })
  .transform((v): Dimension => (v === 'model' || v === 'feature' ? { kind: v } : { kind: 'tag', name: v.slice(4).trim() }));

const armValue = (name: 'a' | 'b') =>
  z
    .string({ error: `${name} is required: the ${name === 'a' ? 'first' : 'second'} value to compare` })
    .trim()
    .min(1, { error: `${name} must not be empty` })
    .max(256);

export function registerExperimentRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/experiments/compare', tag: 'costs', auth: 'read', role: 'viewer',
    summary: 'Which of two models, features or tag values costs less per call, with 95% intervals and a verdict',
    description:
      'The arms are the calls of [from, to) (default: the last 30 days) whose dimension is a and b, with the optional filters applied to both. ' +
      'The verdict is about the mean cost per call, what the bill follows: Welch\'s t interval on the difference of the means (b minus a); unpriced calls are left out of the cost figures and counted, failed calls are counted in error_rate and their cost kept. ' +
      'Each arm reads at most its latest 50,000 calls of the range (`events_read_since` says where it starts when capped); `raw_events_since` says where the project\'s retention cut the raw events. The method is in docs/experiments.md.',
    response: ExperimentComparisonAnswer,
    errors: { 400: 'Invalid input; or dimension is not model, feature or tag:<name>, a or b is missing, a equals b, from is not before to, the range spans more than 400 days, or a filter names the dimension compared' },
    query: z.object({
      dimension: DimensionParam,
      a: armValue('a'),
      b: armValue('b'),
      from: TimeParam.optional(),
      to: TimeParam.optional(),
      provider: z.string().min(1).max(200).optional(),
      model: z.string().min(1).max(200).optional(),
      feature: z.string().min(1).max(200).optional(),
      user_id: z.string().min(1).max(256).optional(),
    }),
  }, ({ ctx, query }) => compareExperiment({ ctx, input: query }));
}
