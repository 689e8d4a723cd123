/**
 * LLMLab SDK: know what every LLM call costs.
 * @example
 * import OpenAI from 'openai';
 * import { init, wrapOpenAI, withTags } from '@llmlab/sdk';
 * init({ apiKey: process.env.LLMLAB_API_KEY });
 * const openai = wrapOpenAI(new OpenAI());
 * await withTags({ feature: 'summarize' }, () => openai.chat.completions.create({ model: 'gpt-4o-mini', messages }));
 */
export type { Budget, BudgetScope, CostSummary, Recommendation } from './budgets/types.js';
export type { RateLimit } from './rate-limits/types.js';
export { LLMLab, type LLMLabOptions, type Logger } from './client.js';
export { type Attribution, trackCost, withTags } from './context/attribution.js';
export {
  flush,
  getBudgets,
  getClient,
  getRecommendations,
  getSummary,
  init,
  shutdown,
  stats,
  track,
  wrapAnthropic,
  wrapGoogle,
  wrapOpenAI,
} from './default-client.js';
export {
  AuthenticationError,
  BudgetExceededError,
  ConflictError,
  ConnectionError,
  type ExceededBudget,
  LLMLabError,
  type LLMLabErrorCode,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnavailableError,
  ValidationError,
} from './errors.js';
export { newEventId } from './events/event-id.js';
export type { TagValue, TrackInput } from './events/wire-event.js';
export type { SenderStats } from './transport/sender.js';
export type { WrapOptions } from './wrappers/tracked-method.js';
