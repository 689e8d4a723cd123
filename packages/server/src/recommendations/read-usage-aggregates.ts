import { DAY_MS, HOUR_MS, storedServiceTier, type UsageAggregate, wallClock } from '@llmlab/core';
import { sql } from 'kysely';
import type { TenantContext } from '../context.js';
import { fromJson } from '../db/dialect.js';
import { readRawEventsSince } from '../retention/raw-events-since.js';
import { rollupQuery, usageSums } from '../usage/read-rollups.js';

const keyOf = (provider: string, model: string, feature: string | null, tier: string) => `${provider}\u0000${model}\u0000${feature ?? ''}\u0000${tier}`;

/** A raw event's tier as the rollups count it: standard when it reported none. */
const EVENT_TIER = sql<string>`coalesce(service_tier, 'standard')`;

/** Tags that mark work as batch (true) or interactive (false); anything else says nothing. */
function batchSignal(tags: Record<string, unknown> | null): boolean | null {
  if (!tags) return null;
  const yes = (v: unknown) => v === true || v === 'true';
  const no = (v: unknown) => v === false || v === 'false';
  if (yes(tags.batch) || tags.mode === 'batch' || no(tags.interactive)) return true;
  if (no(tags.batch) || tags.mode === 'interactive' || yes(tags.interactive)) return false;
  return null;
}

/**
 * Raw events the repeats and batch tags are counted in: the latest of the range. Enough to see
 * how often requests repeat (a response cache keeps them an hour by default), and the read costs
 * the same at any volume.
 */
export const RECENT_EVENTS = 50_000;

/** The latest `RECENT_EVENTS` raw events of [from, to), newest first: one backward range of the (project, ts) index. */
function recentEvents(ctx: TenantContext, from: number, to: number, limit: number) {
  return ctx.db.kysely
    .selectFrom('events')
    .select(['provider', 'model', 'feature', 'request_hash', 'tags', EVENT_TIER.as('service_tier')])
    .where('project_id', '=', ctx.actor.projectId)
    .where('ts', '>=', from)
    .where('ts', '<', to)
    .orderBy('ts', 'desc')
    .limit(limit)
    .as('recent');
}

/**
 * Per (provider, model, feature) usage of [from, to): priced calls and their tokens from the
 * rollups, calls by local hour of day, repeated request hashes and batch tags from the latest
 * raw events (see RECENT_EVENTS). The repeats counted there are scaled to the whole range by its
 * calls, which also covers the raw events retention removed from the start of the range.
 */
export async function readUsageAggregates(
  ctx: TenantContext,
  from: number,
  to: number,
  tz: string,
  recent = RECENT_EVENTS,
): Promise<{ usage: UsageAggregate[]; days: number }> {
  const since = await readRawEventsSince(ctx);
  // The first whole hour whose raw events were all kept.
  const eventsFrom = since !== null && since > from ? Math.ceil(since / HOUR_MS) * HOUR_MS : from;
  const [rows, hours, sampled, tagged] = await Promise.all([
    rollupQuery(ctx, from, to)
      .select((eb) => ['provider', 'model', 'feature', 'service_tier', ...usageSums(eb), eb.fn.min<number>('hour').as('first_hour')])
      .groupBy(['provider', 'model', 'feature', 'service_tier'])
      .execute(),
    rollupQuery(ctx, from, to).select(['provider', 'model', 'feature', 'service_tier', 'hour', 'calls']).execute(),
    ctx.db.kysely
      .selectFrom(recentEvents(ctx, eventsFrom, to, recent))
      .select((eb) => [
        'provider', 'model', 'feature', 'service_tier',
        eb.fn.countAll<number>().as('n'),
        eb.fn.count<number>('request_hash').as('hashed'),
        eb.fn.count<number>('request_hash').distinct().as('distinct_hashes'),
      ])
      .groupBy(['provider', 'model', 'feature', 'service_tier'])
      .execute(),
    ctx.db.kysely
      .selectFrom(recentEvents(ctx, eventsFrom, to, recent))
      .where('tags', 'is not', null)
      .select((eb) => ['provider', 'model', 'feature', 'service_tier', 'tags', eb.fn.countAll<number>().as('n')])
      .groupBy(['provider', 'model', 'feature', 'service_tier', 'tags'])
      .execute(),
  ]);

  const hourly = new Map<string, number[]>();
  const calls = new Map<string, number>();
  for (const h of hours) {
    const k = keyOf(h.provider, h.model, h.feature || null, h.service_tier);
    const shape = hourly.get(k) ?? new Array<number>(24).fill(0);
    shape[wallClock(Number(h.hour), tz).hour] += Number(h.calls);
    hourly.set(k, shape);
    calls.set(k, (calls.get(k) ?? 0) + Number(h.calls));
  }
  const repeated = new Map(
    sampled.map((r) => {
      const k = keyOf(r.provider, r.model, r.feature, r.service_tier);
      const n = Number(r.n);
      const repeats = Number(r.hashed) - Number(r.distinct_hashes);
      return [k, Math.round((repeats * Math.max(n, calls.get(k) ?? 0)) / n)];
    }),
  );
  const votes = new Map<string, number>();
  for (const t of tagged) {
    const signal = batchSignal(fromJson<Record<string, unknown>>(t.tags));
    if (signal === null) continue;
    const k = keyOf(t.provider, t.model, t.feature, t.service_tier);
    votes.set(k, (votes.get(k) ?? 0) + (signal ? Number(t.n) : -Number(t.n)));
  }

  let first = to;
  const usage: UsageAggregate[] = [];
  for (const r of rows) {
    const calls = Number(r.calls);
    const priced = calls - Number(r.unpriced);
    if (priced <= 0) continue;
    first = Math.min(first, Number(r.first_hour));
    // Tokens of unpriced calls are left out in proportion: advice compares priced work only.
    const share = priced / calls;
    const feature = r.feature || null;
    const k = keyOf(r.provider, r.model, feature, r.service_tier);
    const vote = votes.get(k);
    const tier = storedServiceTier(r.service_tier);
    usage.push({
      provider: r.provider,
      model: r.model,
      feature,
      calls: priced,
      input_tokens: Math.round(Number(r.input) * share),
      output_tokens: Math.round(Number(r.output) * share),
      cached_input_tokens: Math.round(Number(r.cached) * share),
      cache_write_tokens: Math.round(Number(r.cache_write) * share),
      reasoning_tokens: Math.round(Number(r.reasoning) * share),
      cost_nanos: Number(r.cost),
      repeated_requests: repeated.get(k) ?? 0,
      hourly_calls: hourly.get(k),
      batch_hint: vote === undefined || vote === 0 ? undefined : vote > 0,
      ...(tier && tier !== 'standard' ? { service_tier: tier } : {}),
    });
  }
  const days = Math.min(30, Math.max(1, Math.ceil((to - Math.max(from, Math.floor(first / HOUR_MS) * HOUR_MS)) / DAY_MS)));
  return { usage, days };
}
