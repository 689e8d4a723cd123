import type { WireEvent } from '../events/wire-event.js';
import type { RawAnswer } from './http.js';
import { BoundedQueue } from './queue.js';
import { type BackoffPolicy, backoffDelay, isRetryableStatus, parseRetryAfter } from './retry.js';

export interface SenderOptions {
  /** POSTs one batch; throws when LLMLab cannot be reached. */
  post: (events: WireEvent[]) => Promise<RawAnswer>;
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  backoff: BackoffPolicy;
  warn: (message: string) => void;
}

export interface SenderStats {
  /** Waiting to be sent, the batch in flight included. */
  pending: number;
  sent: number;
  /** Dropped because the buffer was full (oldest first). */
  dropped: number;
  /** Refused by LLMLab with a 4xx other than 429; never retried. */
  rejected: number;
  retries: number;
}

/**
 * Each event_id once: LLMLab refuses a batch that repeats one, and a repeat is the same call
 * tracked twice, which the idempotency key already makes a no-op.
 */
function distinctById(batch: WireEvent[]): WireEvent[] {
  const seen = new Set<string>();
  return batch.filter((e) => !seen.has(e.event_id) && seen.add(e.event_id) !== undefined);
}

/**
 * Background delivery: events wait in a bounded queue and go out in batches when a batch is
 * full or the interval passes. A batch that fails on the network, a 5xx or a 429 is retried
 * with backoff (or after Retry-After) until it is delivered, while new events keep queueing up
 * to the bound; any other 4xx drops it, since sending it again would fail the same way.
 */
export class Sender {
  private readonly queue: BoundedQueue<WireEvent>;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private pumping: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  /** While someone awaits a flush, sleeps hold the process open and partial batches go out. */
  private urgent = 0;
  private stopped = false;
  private outage = false;
  private readonly warned = new Set<string>();
  private readonly counts = { sent: 0, dropped: 0, rejected: 0, retries: 0 };

  constructor(private readonly options: SenderOptions) {
    this.queue = new BoundedQueue(options.maxQueueSize);
  }

  enqueue(event: WireEvent): void {
    if (this.stopped) {
      this.warnOnce('stopped', 'an event was tracked after shutdown() and is not sent');
      return;
    }
    if (this.queue.push(event)) {
      this.counts.dropped += 1;
      this.warnOnce('full', `buffer full (${this.options.maxQueueSize} events): dropping the oldest; stats().dropped counts them`);
    }
    if (this.pumping || this.immediate) return;
    // A full batch goes out on the next turn of the loop, so track() itself never serialises or sends.
    if (this.queue.length >= this.options.batchSize) {
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.startPump();
      });
    } else this.enqueueTimer();
  }

  stats(): SenderStats {
    return { pending: this.queue.length + this.inFlight, ...this.counts };
  }

  /**
   * Sends everything queued now. Resolves true once all of it is delivered (or refused), false
   * if `timeoutMs` passed first; delivery then goes on in the background.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return true;
    this.urgent += 1;
    try {
      const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
      this.wake?.();
      this.startPump();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const done = await Promise.race([idle, late]);
      clearTimeout(timer);
      return done;
    } finally {
      this.urgent -= 1;
    }
  }

  /** Flushes, then stops: what is still undelivered after `timeoutMs` is given up and counted in the log. */
  async close(timeoutMs: number): Promise<boolean> {
    const done = await this.flush(timeoutMs);
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    const left = this.queue.length + this.inFlight;
    if (left > 0) this.options.warn(`shutdown: ${left} events could not be delivered within ${timeoutMs} ms and are lost`);
    return done;
  }

  hasPending(): boolean {
    return !this.isIdle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0;
  }

  private startPump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pumping || this.stopped) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.isIdle()) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      } else if (!this.stopped) {
        if (this.urgent > 0) this.startPump();
        else this.enqueueTimer();
      }
    });
  }

  private enqueueTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.startPump(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Sends until the queue is empty; a pump started by a full batch takes the partial tail along. */
  private async pump(): Promise<void> {
    while (!this.stopped && this.queue.length > 0) {
      const batch = distinctById(this.queue.take(this.options.batchSize));
      this.inFlight = batch.length;
      try {
        await this.deliver(batch);
      } finally {
        this.inFlight = 0;
      }
    }
  }

  private async deliver(initial: WireEvent[]): Promise<void> {
    let batch = initial;
    let split = false;
    for (let attempt = 0; !this.stopped; attempt += 1) {
      let answer: RawAnswer | null = null;
      let failure = '';
      try {
        answer = await this.options.post(batch);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (answer && answer.status >= 200 && answer.status < 300) {
        this.counts.sent += batch.length;
        if (this.outage) this.options.warn(`LLMLab reachable again; delivered ${batch.length} buffered events`);
        this.outage = false;
        return;
      }
      if (answer && !isRetryableStatus(answer.status)) {
        const rest = split ? [] : this.withoutInvalid(batch, answer);
        split = true;
        if (rest.length === 0 || rest.length === batch.length) {
          this.reject(batch, answer);
          return;
        }
        this.reject(batch.filter((e) => !rest.includes(e)), answer);
        batch = rest;
        attempt = -1;
        continue;
      }
      this.counts.retries += 1;
      const wait = parseRetryAfter(answer?.retryAfter) ?? backoffDelay(attempt, this.options.backoff);
      if (!this.outage) {
        this.outage = true;
        const why = answer ? `HTTP ${answer.status}` : failure;
        this.options.warn(`could not deliver ${batch.length} events (${why}); buffering and retrying in the background`);
      }
      await this.sleep(wait);
    }
  }

  /** The events of a batch that LLMLab did not name as invalid (validation_failed details "events.N..."). */
  private withoutInvalid(batch: WireEvent[], answer: RawAnswer): WireEvent[] {
    const details = (answer.body as { error?: { details?: unknown } } | null)?.error?.details;
    if (!Array.isArray(details)) return [];
    const bad = new Set<number>();
    for (const d of details) {
      const match = /^events\.(\d+)/.exec(String((d as { path?: unknown })?.path ?? ''));
      if (match) bad.add(Number(match[1]));
    }
    return bad.size === 0 ? [] : batch.filter((_, i) => !bad.has(i));
  }

  private reject(events: WireEvent[], answer: RawAnswer): void {
    this.counts.rejected += events.length;
    const error = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
    const code = error?.code ?? `http_${answer.status}`;
    this.warnOnce(`reject:${code}`, `LLMLab refused ${events.length} events (HTTP ${answer.status} ${code}: ${error?.message ?? 'no message'}); they are not retried`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (this.urgent === 0) timer.unref();
      this.wake = done;
    });
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.warn(message);
  }
}
