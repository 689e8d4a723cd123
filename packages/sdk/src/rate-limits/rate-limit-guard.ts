import { bucketAt, countsAt, coveringLimits, currentAllowance, METRIC_WINDOWS, msUntilFits, type RateLimitRule, refusalMessage } from '@llmlab/core/rate-limits';
import type { CallScope, GuardVerdict } from '../budgets/guard.js';
import { LLMLabError, RateLimitError } from '../errors.js';
import type { RateLimit } from './types.js';
import { settledWithin, warnOnceBy } from '../guards/guard-helpers.js';

const ALLOW: GuardVerdict = { kind: 'allow' };
const REQUESTS = METRIC_WINDOWS.requests;
/** The SDK holds one key: a limit per API key gives this process one window, and a limit scoped to one key id is left to the server. */
const THIS_KEY = "(this process's key)";
/** Windows kept before those with nothing left in them are dropped (one per end user seen). */
const MAX_WINDOWS = 10_000;

/** The limits the guard enforces: `requests_per_minute` only (tokens and cost are left to the proxy). */
function rulesOf(limits: RateLimit[]): RateLimitRule[] {
  return limits
    .filter((l) => l.requests_per_minute !== null)
    .map((l) => ({ id: l.id, name: l.name, scope: l.scope, per: l.per, limits: { requests: l.requests_per_minute as number } }));
}

/**
 * `requests_per_minute` of the project's rate limits (GET /api/rate-limits, refreshed like the
 * budget state), enforced before the provider is called with the sliding window the proxy uses,
 * counted in this process only: N processes with the same key may together make N times the
 * limit. A call over a limit gets RateLimitError; if LLMLab cannot be asked, calls go through and
 * the log says so once.
 */
export class RateLimitGuard {
  private rules: RateLimitRule[] = [];
  /** Calls counted per limit and window value: bucket start -> calls. */
  private readonly windows = new Map<string, Map<number, number>>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | null = null;
  private disabled = false;

  private readonly warnOnce: (key: string, message: string) => void;

  constructor(
    private readonly fetchLimits: () => Promise<RateLimit[]>,
    private readonly ttlMs: number,
    private readonly firstWaitMs: number,
    warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.warnOnce = warnOnceBy(warn);
  }

  /** What to do with a call: go ahead (it is counted), refuse it, or wait for the first copy of the limits. */
  check(call: CallScope): GuardVerdict {
    if (this.disabled) return ALLOW;
    if (Date.now() - this.fetchedAt > this.ttlMs) {
      const refresh = this.refresh();
      if (this.fetchedAt === Number.NEGATIVE_INFINITY) return { kind: 'wait', ready: this.withDeadline(refresh) };
    }
    return this.verdict(call);
  }

  /** Resolves once the limits have been read once (or the first wait is over). */
  ready(): Promise<void> {
    return this.disabled || this.fetchedAt !== Number.NEGATIVE_INFINITY ? Promise.resolve() : this.withDeadline(this.refresh());
  }

  /** The verdict from the limits at hand; an allowed call is counted in every window that covers it. */
  verdict(call: CallScope): GuardVerdict {
    const limits = coveringLimits(this.rules, { provider: call.provider, model: call.model, feature: call.feature, endUser: call.userId, apiKeyId: THIS_KEY });
    if (!limits.length) return ALLOW;
    const now = this.now();
    const { start, elapsed } = bucketAt(REQUESTS, now);
    const windows = limits.map((limit) => {
      const key = `${limit.rule.id}\u0000${limit.value}`;
      const buckets = this.windows.get(key) ?? new Map<number, number>();
      this.windows.set(key, buckets);
      return { limit, buckets, counts: countsAt(REQUESTS, now, [...buckets].map(([s, amount]) => ({ start: s, amount }))) };
    });
    for (const { limit, counts } of windows) {
      const max = limit.rule.limits.requests as number;
      if (counts[REQUESTS.buckets] + 1 <= currentAllowance(REQUESTS, max, counts, elapsed)) continue;
      const waitMs = msUntilFits(REQUESTS, max, counts, elapsed, 1);
      const details = { retry_after: Math.max(1, Math.ceil(waitMs / 1000)), rate_limit: { id: limit.rule.id, name: limit.rule.name, requests_per_minute: max }, value: limit.value || null };
      return { kind: 'block', error: new RateLimitError('rate_limited', refusalMessage(limit, 'requests', waitMs, 1), 429, details) };
    }
    for (const { buckets } of windows) {
      buckets.set(start, (buckets.get(start) ?? 0) + 1);
      for (const s of buckets.keys()) if (s < start - REQUESTS.windowMs) buckets.delete(s);
    }
    if (this.windows.size > MAX_WINDOWS) {
      for (const [key, buckets] of this.windows) if (![...buckets.keys()].some((s) => s >= start - REQUESTS.windowMs)) this.windows.delete(key);
    }
    return ALLOW;
  }

  /** Fetches the limits unless a fetch is already on its way. */
  refresh(): Promise<void> {
    if (this.disabled) return Promise.resolve();
    this.refreshing ??= this.fetchLimits()
      .then(
        (limits) => {
          this.rules = rulesOf(limits);
          this.fetchedAt = Date.now();
        },
        (error: unknown) => this.onFailure(error),
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private onFailure(error: unknown): void {
    // A key without the read scope, or a server from before rate limits: nothing to enforce.
    if (error instanceof LLMLabError && (error.code === 'unauthorized' || error.code === 'forbidden' || error.code === 'not_found')) {
      this.disabled = true;
      this.warnOnce('scope', `rate limits are not enforced by the SDK: ${error.message}`);
      return;
    }
    this.fetchedAt = Math.max(this.fetchedAt, Date.now());
    this.warnOnce('down', `could not read rate limits, calls are let through until it can: ${error instanceof Error ? error.message : String(error)}`);
  }

  private withDeadline(refresh: Promise<void>): Promise<void> {
    return settledWithin(refresh, this.firstWaitMs);
  }
}
