import { BudgetExceededError, type ExceededBudget, LLMLabError } from '../errors.js';
import type { Budget, BudgetUsagePage } from './types.js';
import { settledWithin, warnOnceBy } from '../guards/guard-helpers.js';

export interface CallScope {
  provider: string;
  model: string | undefined;
  feature: string | undefined;
  userId?: string;
  tags?: Record<string, string | number | boolean>;
}

/** How many exhausted values of one template budget the guard reads at most (pages of 500). */
const MAX_TEMPLATE_PAGES = 20;

/** A refused call carries the error to throw: BudgetExceededError here, RateLimitError from the rate limit guard. */
export type GuardVerdict = { kind: 'allow' } | { kind: 'block'; error: LLMLabError } | { kind: 'wait'; ready: Promise<void> };

const ALLOW: GuardVerdict = { kind: 'allow' };
const PERIOD_NOUN: Record<string, string> = { daily: 'day', weekly: 'week', monthly: 'month' };

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * Budgets scope the model name events carry, which is the provider's answer (`gpt-4o-2024-08-06`),
 * while a call names what it asks for (`gpt-4o`): a dated snapshot of the requested alias counts.
 */
function sameModel(scoped: string, requested: string | undefined): boolean {
  if (requested === undefined) return false;
  const a = scoped.toLowerCase();
  const b = requested.toLowerCase();
  return a === b || (a.startsWith(`${b}-`) && /^\d{4}-?\d{2}-?\d{2}$|^\d{8}$/.test(a.slice(b.length + 1)));
}

function covers(budget: Budget, call: CallScope): boolean {
  const scope = budget.scope;
  if (!scope) return true;
  if (scope.provider && !same(scope.provider, call.provider)) return false;
  if (scope.model && !sameModel(scope.model, call.model)) return false;
  if (scope.feature && !same(scope.feature, call.feature)) return false;
  if (scope.end_user && scope.end_user !== call.userId) return false;
  if (scope.tags && !Object.entries(scope.tags).every(([k, v]) => call.tags?.[k] !== undefined && String(call.tags[k]) === v)) return false;
  return true;
}

/** The value of a template budget a call counts for: its end user or feature (undefined: the budget does not apply). */
function templateValue(budget: Budget, call: CallScope): string | undefined {
  return budget.per === 'end_user' ? call.userId : budget.per === 'feature' ? call.feature : undefined;
}

/**
 * Budgets the guard can judge: a budget of one API key is left to the server (the guard does not
 * know which key it holds), and so is a template per API key.
 */
function judged(b: Budget): boolean {
  return b.hard_limit && !b.scope?.api_key_id && b.per !== 'api_key';
}

function describe(b: Budget): ExceededBudget {
  return { id: b.id, name: b.name ?? null, amount: b.amount, period: b.period, spent: b.status.spent, scope: b.scope ?? null };
}

/**
 * Hard limits, enforced before the provider is called, from a briefly cached copy of
 * GET /api/budgets: a call costs no round trip while the copy is fresh, and a stale copy is
 * used while a fresh one is fetched in the background. Only the very first call waits for
 * the first fetch. If LLMLab cannot be asked, calls go through (LLMLab being down must never
 * break the app), and the log says so once.
 */
export class BudgetGuard {
  private exhausted: Budget[] = [];
  /** Template budgets with their values that are out of budget this period. */
  private exhaustedValues: { budget: Budget; values: Map<string, number> }[] = [];
  private fetchedAt = -Infinity;
  private refreshing: Promise<void> | null = null;
  private disabled = false;

  private readonly warnOnce: (key: string, message: string) => void;

  constructor(
    private readonly fetchBudgets: () => Promise<Budget[]>,
    private readonly ttlMs: number,
    private readonly firstWaitMs: number,
    warn: (message: string) => void,
    private readonly fetchUsage: (budgetId: string, cursor: string | null) => Promise<BudgetUsagePage> = async () => ({ values: [], next_cursor: null }),
  ) {
    this.warnOnce = warnOnceBy(warn);
  }

  /** What to do with a call: go ahead, refuse it, or wait for the first budget state. */
  check(call: CallScope): GuardVerdict {
    if (this.disabled) return ALLOW;
    const age = Date.now() - this.fetchedAt;
    if (age > this.ttlMs) {
      const refresh = this.refresh();
      if (this.fetchedAt === -Infinity) return { kind: 'wait', ready: this.withDeadline(refresh) };
    }
    return this.verdict(call);
  }

  /** The verdict from the state at hand, without fetching. */
  verdict(call: CallScope): GuardVerdict {
    for (const { budget, values } of this.exhaustedValues) {
      const value = templateValue(budget, call);
      const spent = value === undefined ? undefined : values.get(value);
      if (spent !== undefined && covers(budget, call)) {
        const who = budget.per === 'end_user' ? 'end user' : 'feature';
        const message = `budget ${budget.name ?? budget.id} is exhausted for ${who} ${value} (spent $${spent.toFixed(2)} of $${budget.amount} this ${PERIOD_NOUN[budget.period] ?? budget.period}) and has a hard limit`;
        return { kind: 'block', error: new BudgetExceededError(message, { ...describe(budget), spent }) };
      }
    }
    for (const budget of this.exhausted) {
      if (covers(budget, call)) {
        const spent = budget.status.spent.toFixed(2);
        const message = `budget ${budget.name ?? budget.id} is exhausted (spent $${spent} of $${budget.amount} this ${PERIOD_NOUN[budget.period] ?? budget.period}) and has a hard limit`;
        return { kind: 'block', error: new BudgetExceededError(message, describe(budget)) };
      }
    }
    return ALLOW;
  }

  /** Fetches the budget state unless a fetch is already on its way. */
  refresh(): Promise<void> {
    if (this.disabled) return Promise.resolve();
    this.refreshing ??= this.fetchBudgets()
      .then(
        async (budgets) => {
          const judgedBudgets = budgets.filter(judged);
          const templates = judgedBudgets.filter((b) => b.per && b.status?.exceeded);
          this.exhaustedValues = await Promise.all(templates.map(async (budget) => ({ budget, values: await this.exhaustedOf(budget) })));
          this.exhausted = judgedBudgets.filter((b) => !b.per && b.status?.exceeded);
          this.fetchedAt = Date.now();
        },
        (error: unknown) => this.onFailure(error),
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** The values of a template budget that are out of budget: its usage pages, highest spend first, until one is not. */
  private async exhaustedOf(budget: Budget): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    let cursor: string | null = null;
    for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
      const usage: BudgetUsagePage = await this.fetchUsage(budget.id, cursor);
      for (const v of usage.values) {
        if (v.state !== 'exceeded') return out;
        if (v.value !== null) out.set(v.value, v.spent);
      }
      cursor = usage.next_cursor;
      if (!cursor) break;
    }
    return out;
  }

  private onFailure(error: unknown): void {
    if (error instanceof LLMLabError && (error.code === 'unauthorized' || error.code === 'forbidden')) {
      this.disabled = true;
      this.warnOnce('scope', `hard budget limits are not enforced: the API key cannot read budgets (${error.message})`);
      return;
    }
    // Keep the last known state; try again after the usual interval rather than on every call.
    this.fetchedAt = Math.max(this.fetchedAt, Date.now());
    this.warnOnce('down', `could not read budgets, calls are let through until it can: ${error instanceof Error ? error.message : String(error)}`);
  }

  private withDeadline(refresh: Promise<void>): Promise<void> {
    return settledWithin(refresh, this.firstWaitMs);
  }
}
