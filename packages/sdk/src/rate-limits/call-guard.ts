import type { CallScope, GuardVerdict } from '../budgets/guard.js';

/** What a wrapped call asks before the provider is called (the budget guard, the rate limit guard, or both). */
export interface CallGuard {
  /** Go ahead, refuse, or wait for the first state. */
  check(call: CallScope): GuardVerdict;
  /** The verdict from the state at hand, after a wait. */
  verdict(call: CallScope): GuardVerdict;
  refresh(): Promise<void>;
}

interface CountingGuard extends CallGuard {
  /** Resolves once the guard has its first state (or gave up waiting for it). */
  ready(): Promise<void>;
}

/**
 * Budgets first, then rate limits: the rate limit guard counts the calls it allows, so it is
 * asked only once the budgets let the call go, and a call waiting for the budget state waits for
 * both and is then judged by both.
 */
export function combineGuards(budgets: CallGuard | null, limits: CountingGuard | null): CallGuard | null {
  if (!budgets || !limits) return budgets ?? limits;
  return {
    check(call) {
      const first = budgets.check(call);
      if (first.kind === 'block') return first;
      if (first.kind === 'wait') return { kind: 'wait', ready: Promise.all([first.ready, limits.ready()]).then(() => undefined) };
      return limits.check(call);
    },
    verdict(call) {
      const first = budgets.verdict(call);
      return first.kind === 'allow' ? limits.verdict(call) : first;
    },
    refresh: () => Promise.all([budgets.refresh(), limits.refresh()]).then(() => undefined),
  };
}
