import {
  AppError,
  canonicalProvider,
  MAX_FUTURE_SKEW_MS,
  MIN_EVENT_TS,
  nanosToUsd,
  priceUsage,
  type TokenUsage,
  type TrackEventInput,
  timestampMs,
} from '@llmlab/core';
import { newId } from '../db/ids.js';
import type { TenantContext } from '../context.js';
import { toJson } from '../db/dialect.js';
import { loadOverrides } from '../prices/load-overrides.js';
import { type EventInsert, eventWriter } from './event-writer.js';

export type EventSource = 'api' | 'sdk' | 'proxy' | 'otlp';

export interface RecordedEvent {
  event_id: string;
  cost: number | null;
  cost_nanos: number | null;
  priced: boolean;
  price_source: string | null;
  duplicate: boolean;
}

type Row = EventInsert;

/** The price source of a call the proxy answered from its response cache: it cost nothing. */
export const CACHE_HIT = 'cache_hit';

/** A call answered from the proxy's response cache: the usage of the stored answer, priced as what the hit saved. */
export interface CacheHit {
  usage: TokenUsage;
}

/**
 * Prices and stores events with their hourly rollups in one transaction. Validation covers the
 * whole batch before anything is written; an `event_id` already stored is acknowledged, not
 * stored again, and not counted again.
 */
export async function recordEvents({ ctx, input }: { ctx: TenantContext; input: { events: TrackEventInput[]; source: EventSource; cacheHits?: (CacheHit | undefined)[] } }): Promise<RecordedEvent[]> {
  const now = ctx.now();
  const rows = toRows(ctx, input.events, input.source, now);
  const overrides = await loadOverrides(ctx.db, ctx.actor.orgId);
  rows.forEach((row, i) => {
    const hit = input.cacheHits?.[i];
    if (hit) {
      // A hit costs nothing; what it saved is its stored usage priced now, as the call would have been.
      row.cost_nanos = 0;
      row.price_source = CACHE_HIT;
      row.cache_hit = 1;
      row.saved_nanos = priceUsage({ provider: row.provider, model: row.model, ts: row.ts, usage: hit.usage, overrides, serviceTier: input.events[i].service_tier }).cost_nanos;
      return;
    }
    const priced = priceUsage({ provider: row.provider, model: row.model, ts: row.ts, usage: row, overrides, usageMissing: input.events[i].usage_missing, failed: row.status === 'error', serviceTier: input.events[i].service_tier });
    row.cost_nanos = priced.cost_nanos;
    row.price_source = priced.price_source;
  });
  const inserted = await eventWriter(ctx.db).write(rows);
  const duplicates = rows.filter((r) => !inserted.has(r.id));
  const stored = duplicates.length ? await storedCosts(ctx, duplicates.map((r) => r.event_id)) : new Map();
  return rows.map((r) => {
    const duplicate = !inserted.has(r.id);
    const prior = duplicate ? stored.get(r.event_id) : undefined;
    const cost = prior ? prior.cost_nanos : r.cost_nanos;
    return {
      event_id: r.event_id,
      cost: cost === null ? null : nanosToUsd(cost),
      cost_nanos: cost,
      priced: cost !== null,
      price_source: prior ? prior.price_source : r.price_source,
      duplicate,
    };
  });
}

/** An error's path: the batch item's field, or the bare field for a lone event sent to /api/events/track. */
function fieldPath(itemPath: boolean, i: number, field: string): string {
  return itemPath ? `events.${i}.${field}` : field;
}

function toRows(ctx: TenantContext, events: TrackEventInput[], source: EventSource, now: number): Row[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const rows: Row[] = [];
  const itemPath = events.length > 1 || source !== 'api';
  const apiKeyId = ctx.actor.keyId ?? null;
  events.forEach((e, i) => {
    const provider = canonicalProvider(e.provider);
    if (!provider) problems.push({ path: fieldPath(itemPath, i, 'provider'), message: `unknown provider "${e.provider}"; see GET /api/prices for the accepted names` });
    const ts = timestampMs(e.timestamp, now);
    if (!Number.isFinite(ts) || ts < MIN_EVENT_TS) problems.push({ path: fieldPath(itemPath, i, 'timestamp'), message: 'timestamp must be after 2015-01-01' });
    else if (ts > now + MAX_FUTURE_SKEW_MS) problems.push({ path: fieldPath(itemPath, i, 'timestamp'), message: 'timestamp is in the future' });
    const eventId = e.event_id ?? newId();
    if (seen.has(eventId)) problems.push({ path: fieldPath(itemPath, i, 'event_id'), message: `event_id ${eventId} appears twice in this batch` });
    seen.add(eventId);
    const feature = e.feature ?? (typeof e.metadata?.feature === 'string' ? e.metadata.feature.slice(0, 128) : null);
    rows.push({
      id: newId(),
      project_id: ctx.actor.projectId,
      event_id: eventId,
      ts,
      provider: provider ?? e.provider,
      model: e.model,
      input_tokens: e.input_tokens,
      output_tokens: e.output_tokens,
      cached_input_tokens: e.cached_input_tokens ?? 0,
      cache_write_tokens: e.cache_write_tokens ?? 0,
      reasoning_tokens: e.reasoning_tokens ?? 0,
      cost_nanos: null,
      price_source: null,
      latency_ms: e.latency_ms ?? null,
      status: e.status ?? 'success',
      error_type: e.error_type ?? null,
      feature: feature || null,
      end_user: e.user_id ?? null,
      environment: e.environment ?? null,
      source,
      api_key_id: apiKeyId,
      request_hash: e.request_hash ?? null,
      tags: toJson(e.tags),
      metadata: toJson(e.metadata),
      received_at: now,
      cache_hit: 0,
      saved_nanos: null,
      session_id: e.session_id ?? null,
      service_tier: e.service_tier ?? null,
    });
  });
  if (problems.length) {
    throw new AppError('validation_failed', `${problems[0].path}: ${problems[0].message}`, problems);
  }
  return rows;
}

async function storedCosts(ctx: TenantContext, eventIds: string[]) {
  const rows = await ctx.db.kysely
    .selectFrom('events')
    .select(['event_id', 'cost_nanos', 'price_source'])
    .where('project_id', '=', ctx.actor.projectId)
    .where('event_id', 'in', eventIds)
    .execute();
  return new Map(rows.map((r) => [r.event_id, r]));
}
