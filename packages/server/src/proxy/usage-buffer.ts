import type { TrackEventInput } from '@llmlab/core';
import type { Actor } from '../auth/actor.js';
import { authenticate } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { type CacheHit, type EventSource, recordEvents } from '../events/record-events.js';
import { releaseReservations } from './hard-budgets.js';
import { isDatabaseFailure } from '../db/errors.js';
import type { DatabaseHealth } from './project-profiles.js';

/** Events kept in memory while the database is unreachable; past this the oldest are dropped. */
export const MAX_BUFFERED_EVENTS = 10_000;
const FLUSH_DELAY_MS = 50;
const MAX_RETRY_MS = 5000;

export interface PendingEvent {
  /** The project, when the key was resolved before the call; else the key is resolved at write time. */
  actor?: Actor;
  key: string;
  event: TrackEventInput;
  reservationIds: string[];
  /** Set when the call was answered from the response cache. */
  cacheHit?: CacheHit;
}

/**
 * Writes captured usage in the background, after the client has its response: batched per
 * key through recordEvents, and kept (bounded) and retried with backoff while the database
 * is down. Hard-budget reservations are released only once their call's real cost is stored.
 */
export class UsageBuffer {
  private queue: PendingEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;
  private retryMs = 0;
  private dropped = 0;
  private outage = false;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly source: EventSource,
    private readonly health?: DatabaseHealth,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  add(item: PendingEvent): void {
    this.queue.push(item);
    if (this.queue.length > MAX_BUFFERED_EVENTS) {
      const over = this.queue.splice(0, this.queue.length - MAX_BUFFERED_EVENTS);
      this.dropped += over.length;
      this.ctx.log.error('usage buffer full: dropped the oldest proxy events', { dropped_total: this.dropped, buffered: this.queue.length });
    }
    this.schedule(this.retryMs || FLUSH_DELAY_MS);
  }

  /** Resolves once everything buffered so far is written (or the buffer is empty). */
  drained(): Promise<void> {
    if (this.queue.length === 0 && !this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(ms: number): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    let failed: PendingEvent[] = [];
    try {
      failed = await this.write(batch);
    } finally {
      this.flushing = false;
    }
    this.health?.report(failed.length === 0);
    if (failed.length) {
      this.queue = failed.concat(this.queue).slice(-MAX_BUFFERED_EVENTS);
      this.retryMs = Math.min(MAX_RETRY_MS, Math.max(100, this.retryMs * 2));
      if (!this.outage) this.ctx.log.warn('database unavailable: proxy usage is buffered in memory and will be written when it is back', { buffered: this.queue.length });
      this.outage = true;
      this.schedule(this.retryMs);
      return;
    }
    if (this.outage) this.ctx.log.info('database is back: buffered proxy usage written', { written: batch.length });
    this.outage = false;
    this.retryMs = 0;
    if (this.queue.length) this.schedule(FLUSH_DELAY_MS);
    else for (const done of this.idle.splice(0)) done();
  }

  /** Writes what it can; returns the events to retry (the database failed). */
  private async write(batch: PendingEvent[]): Promise<PendingEvent[]> {
    const actors = new Map<string, Actor | null>();
    try {
      for (const item of batch) {
        if (item.actor || actors.has(item.key)) continue;
        actors.set(item.key, await authenticate(this.ctx, item.key).catch((err) => (isDatabaseFailure(err) ? Promise.reject(err) : null)));
      }
    } catch {
      return batch;
    }
    // Per key, not per project: each event records the key that sent it.
    const byKey = new Map<string, { actor: Actor; items: PendingEvent[] }>();
    for (const item of batch) {
      const actor = item.actor ?? actors.get(item.key);
      if (!actor) {
        this.ctx.log.warn('dropped proxy usage captured with an LLMLab key the database rejects');
        continue;
      }
      const groupKey = actor.keyId ?? actor.projectId;
      const group = byKey.get(groupKey) ?? { actor, items: [] };
      group.items.push(item);
      byKey.set(groupKey, group);
    }
    const retry: PendingEvent[] = [];
    const settled: string[] = [];
    for (const { actor, items } of byKey.values()) {
      for (let i = 0; i < items.length; i += 1000) {
        const chunk = items.slice(i, i + 1000);
        try {
          await recordEvents({ ctx: { ...this.ctx, actor }, input: { events: chunk.map((p) => p.event), source: this.source, cacheHits: chunk.map((p) => p.cacheHit) } });
          settled.push(...chunk.flatMap((p) => p.reservationIds));
        } catch (err) {
          if (isDatabaseFailure(err)) {
            retry.push(...chunk);
          } else {
            this.ctx.log.error('proxy usage rejected', { error: (err as Error).message, events: chunk.length });
            settled.push(...chunk.flatMap((p) => p.reservationIds));
          }
        }
      }
    }
    if (settled.length) {
      try {
        await releaseReservations(this.ctx, settled, this.ctx.now());
      } catch {
        // Held reservations only make budgets stricter; they expire on their own.
      }
    }
    return retry;
  }
}
