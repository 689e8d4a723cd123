/**
 * Failed-login throttle: after `max` failures for one email within `windowMs`, further attempts
 * are refused until the window passes. Per process; behind several instances each keeps its own.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; first: number }>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Seconds to wait before the next attempt, or 0 when an attempt is allowed. */
  retryAfter(key: string, now: number): number {
    const f = this.failures.get(key);
    if (!f || now - f.first >= this.windowMs) return 0;
    return f.count >= this.max ? Math.ceil((f.first + this.windowMs - now) / 1000) : 0;
  }

  fail(key: string, now: number): void {
    const f = this.failures.get(key);
    if (!f || now - f.first >= this.windowMs) this.failures.set(key, { count: 1, first: now });
    else f.count++;
    if (this.failures.size > 100_000) this.failures.clear();
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
