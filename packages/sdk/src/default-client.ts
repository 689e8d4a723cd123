import type { Budget, CostSummary, Recommendation } from './budgets/types.js';
import { LLMLab, type LLMLabOptions } from './client.js';
import type { TrackInput } from './events/wire-event.js';
import type { SenderStats } from './transport/sender.js';
import type { WrapOptions } from './wrappers/tracked-method.js';

let shared: LLMLab | null = null;

/**
 * Sets up the module-level client that `track`, `wrapOpenAI` and the other module functions use.
 * Calling it again replaces the previous client after flushing it.
 * @example init({ apiKey: 'llmlab_...', baseUrl: 'https://llmlab.example.com' })
 */
export function init(options: LLMLabOptions = {}): LLMLab {
  const previous = shared;
  shared = new LLMLab(options);
  if (previous) void previous.shutdown();
  return shared;
}

/** The module-level client, created from the environment on first use if `init()` was not called. */
export function getClient(): LLMLab {
  shared ??= new LLMLab();
  return shared;
}

/** `track()` on the module-level client. */
export function track(input: TrackInput): string {
  return getClient().track(input);
}

/** `wrapOpenAI()` on the module-level client. */
export function wrapOpenAI<C extends object>(client: C, options?: WrapOptions): C {
  return getClient().wrapOpenAI(client, options);
}

/** `wrapAnthropic()` on the module-level client. */
export function wrapAnthropic<C extends object>(client: C, options?: WrapOptions): C {
  return getClient().wrapAnthropic(client, options);
}

/** `wrapGoogle()` on the module-level client. */
export function wrapGoogle<C extends object>(client: C, options?: WrapOptions): C {
  return getClient().wrapGoogle(client, options);
}

export function flush(timeoutMs?: number): Promise<boolean> {
  return shared ? shared.flush(timeoutMs) : Promise.resolve(true);
}

export function shutdown(timeoutMs?: number): Promise<boolean> {
  return shared ? shared.shutdown(timeoutMs) : Promise.resolve(true);
}

export function stats(): SenderStats {
  return getClient().stats();
}

export function getSummary(params?: { days?: number; tz?: string }): Promise<CostSummary> {
  return getClient().getSummary(params);
}

export function getRecommendations(): Promise<Recommendation[]> {
  return getClient().getRecommendations();
}

export function getBudgets(): Promise<Budget[]> {
  return getClient().getBudgets();
}
