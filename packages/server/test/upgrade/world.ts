import { HOUR_MS, type PriceOverride, priceUsage, type ServiceTier } from '@llmlab/core';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { API_KEY_PREFIX, generateSecret, sha256 } from '../../src/auth/secrets.js';
import { toJson } from '../../src/db/dialect.js';
import type { TestApp } from '../helpers/test-app.js';

/**
 * The database an upgrade test fills, release by release: each migration's fixture writes rows
 * as the code of its release wrote them, with only the tables and columns that existed then, and
 * answers a check that today's server still shows them.
 */

/** The clock of every fixture and of today's server in the test: Friday 20 November 2026, noon UTC. */
export const NOW = Date.UTC(2026, 10, 20, 12);
/** The server secret of the test app (createTestApp), under which stored provider keys are encrypted. */
export const SECRET = 'x'.repeat(32);

/** Rows of any table: each release had its own columns, so the typed schema of today cannot describe them. */
export type LooseDb = Kysely<Record<string, Record<string, unknown>>>;

export interface StoredKey {
  id: string;
  /** The key itself, as its user keeps it. */
  key: string;
}

/** An event as stored, every column of today filled in with what the server reads for a missing one. */
export interface StoredEvent {
  id: string;
  project_id: string;
  event_id: string;
  ts: number;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number | null;
  price_source: string | null;
  latency_ms: number | null;
  status: string;
  feature: string | null;
  end_user: string | null;
  source: string;
  tags: Record<string, string> | null;
  api_key_id: string | null;
  cache_hit: number;
  saved_nanos: number | null;
  /** From 016-service-tier on; null: none reported. */
  service_tier: ServiceTier | null;
}

export interface World {
  db: LooseDb;
  /** The migrations applied so far, oldest first: the last is the one whose fixture runs. */
  applied: string[];
  owner: { userId: string; orgId: string; email: string; password: string; sessionToken: string };
  projects: { main: string; batch: string };
  keys: Record<string, StoredKey>;
  /** Budget ids by name. */
  budgets: Record<string, string>;
  /** Every event written, as stored. */
  events: StoredEvent[];
  overrides: PriceOverride[];
}

/** What a fixture leaves to check once today's server has the database open. */
export type Check = (app: TestApp, world: World) => Promise<void>;

/** Writes one release's rows into the world's database and answers its check. */
export type Fixture = (world: World) => Promise<Check>;

export function applied(world: World, migration: string): boolean {
  return world.applied.includes(migration);
}

export interface EventSpec {
  project?: 'main' | 'batch';
  hoursAgo: number;
  provider: string;
  model: string;
  input: number;
  output: number;
  cached?: number;
  reasoning?: number;
  feature?: string;
  endUser?: string;
  status?: 'error';
  tags?: Record<string, string>;
  source?: 'api' | 'sdk' | 'proxy' | 'otlp';
  /** From 005-event-api-key on. */
  apiKey?: string;
  /** From 010-response-cache on: the proxy answered from its cache. */
  cacheHit?: boolean;
  /** From 016-service-tier on. */
  serviceTier?: ServiceTier;
}

/**
 * Stores events with their hourly rollups as the ingest code did: priced at their own time (the
 * org's overrides first), rollups added to with `x = x + delta`. `label` names their event_ids.
 */
export async function writeEvents(world: World, label: string, specs: EventSpec[]): Promise<StoredEvent[]> {
  const stored = specs.map((s, i) => storedEvent(world, `${label}-${i}`, s));
  const withKeys = applied(world, '005-event-api-key');
  const withCache = applied(world, '010-response-cache');
  const withTier = applied(world, '016-service-tier');
  for (const e of stored) {
    const { tags, api_key_id, cache_hit, saved_nanos, service_tier, ...row } = e;
    await world.db
      .insertInto('events')
      .values({
        ...row,
        error_type: e.status === 'error' ? 'rate_limit_exceeded' : null,
        environment: 'production',
        request_hash: null,
        tags: toJson(tags),
        metadata: toJson({ release: label }),
        received_at: NOW,
        ...(withKeys ? { api_key_id } : {}),
        ...(withCache ? { cache_hit, saved_nanos } : {}),
        ...(withTier ? { service_tier } : {}),
      })
      .execute();
    await addToRollup(world, e, withCache, withTier);
  }
  world.events.push(...stored);
  return stored;
}

function storedEvent(world: World, eventId: string, s: EventSpec): StoredEvent {
  const projectId = world.projects[s.project ?? 'main'];
  const ts = NOW - s.hoursAgo * HOUR_MS;
  const usage = { input_tokens: s.input, output_tokens: s.output, cached_input_tokens: s.cached ?? 0, cache_write_tokens: 0, reasoning_tokens: s.reasoning ?? 0 };
  const priced = priceUsage({ provider: s.provider, model: s.model, ts, usage, overrides: world.overrides, serviceTier: s.serviceTier });
  return {
    id: uuidv7(),
    project_id: projectId,
    event_id: eventId,
    ts,
    provider: s.provider,
    model: s.model,
    ...usage,
    // A cache hit costs nothing; it saved what the call would have cost.
    cost_nanos: s.cacheHit ? 0 : priced.cost_nanos,
    price_source: s.cacheHit ? 'cache_hit' : priced.price_source,
    latency_ms: s.cacheHit ? 3 : 400 + s.input / 10,
    status: s.status ?? 'success',
    feature: s.feature ?? null,
    end_user: s.endUser ?? null,
    source: s.source ?? 'sdk',
    tags: s.tags ?? null,
    api_key_id: s.apiKey ? world.keys[s.apiKey].id : null,
    cache_hit: s.cacheHit ? 1 : 0,
    saved_nanos: s.cacheHit ? priced.cost_nanos : null,
    service_tier: s.serviceTier ?? null,
  };
}

async function addToRollup(world: World, e: StoredEvent, withCache: boolean, withTier: boolean): Promise<void> {
  const key = { project_id: e.project_id, hour: Math.floor(e.ts / HOUR_MS) * HOUR_MS, provider: e.provider, model: e.model, feature: e.feature ?? '', ...(withTier ? { service_tier: e.service_tier ?? 'standard' } : {}) };
  const delta: Record<string, number> = {
    calls: 1,
    error_calls: e.status === 'error' ? 1 : 0,
    input_tokens: e.input_tokens,
    output_tokens: e.output_tokens,
    cached_input_tokens: e.cached_input_tokens,
    cache_write_tokens: e.cache_write_tokens,
    reasoning_tokens: e.reasoning_tokens,
    cost_nanos: e.cost_nanos ?? 0,
    unpriced_calls: e.cost_nanos === null ? 1 : 0,
    latency_ms_sum: e.latency_ms ?? 0,
    ...(withCache ? { cache_hits: e.cache_hit, saved_nanos: e.saved_nanos ?? 0 } : {}),
  };
  const current = await world.db
    .selectFrom('usage_hourly')
    .selectAll()
    .where('project_id', '=', key.project_id)
    .where('hour', '=', key.hour)
    .where('provider', '=', key.provider)
    .where('model', '=', key.model)
    .where('feature', '=', key.feature)
    .$if(withTier, (q) => q.where('service_tier', '=', e.service_tier ?? 'standard'))
    .executeTakeFirst();
  if (!current) {
    await world.db.insertInto('usage_hourly').values({ ...key, ...delta }).execute();
    return;
  }
  const sums = Object.fromEntries(Object.entries(delta).map(([column, add]) => [column, Number(current[column]) + add]));
  await world.db
    .updateTable('usage_hourly')
    .set(sums)
    .where('project_id', '=', key.project_id)
    .where('hour', '=', key.hour)
    .where('provider', '=', key.provider)
    .where('model', '=', key.model)
    .where('feature', '=', key.feature)
    .$if(withTier, (q) => q.where('service_tier', '=', e.service_tier ?? 'standard'))
    .execute();
}

/** Creates an API key as the key code of the release did; `columns` are those later releases added. */
export async function writeKey(world: World, name: string, o: { project?: 'main' | 'batch'; scopes: string[]; createdAt?: number; columns?: Record<string, unknown> }): Promise<StoredKey> {
  const key = generateSecret(API_KEY_PREFIX);
  const projectId = world.projects[o.project ?? 'main'];
  const id = uuidv7();
  await world.db
    .insertInto('api_keys')
    .values({
      id,
      project_id: projectId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      key_hash: sha256(key),
      scopes: [...o.scopes].sort().join(','),
      created_at: o.createdAt ?? NOW - 10 * 24 * HOUR_MS,
      last_used_at: null,
      revoked_at: null,
      ...o.columns,
    })
    .execute();
  const stored = { id, key };
  world.keys[name] = stored;
  return stored;
}

/** Sums the stored events a filter keeps, as a total a user would read. */
export function sumEvents(events: StoredEvent[], keep: (e: StoredEvent) => boolean) {
  const kept = events.filter(keep);
  const sum = (f: (e: StoredEvent) => number) => kept.reduce((n, e) => n + f(e), 0);
  return {
    calls: kept.length,
    cost_nanos: sum((e) => e.cost_nanos ?? 0),
    unpriced_calls: sum((e) => (e.cost_nanos === null ? 1 : 0)),
    input_tokens: sum((e) => e.input_tokens),
    output_tokens: sum((e) => e.output_tokens),
    cached_input_tokens: sum((e) => e.cached_input_tokens),
    reasoning_tokens: sum((e) => e.reasoning_tokens),
    cache_hits: sum((e) => e.cache_hit),
    saved_nanos: sum((e) => e.saved_nanos ?? 0),
  };
}

/** The start of today and of this month in UTC, as budgets in UTC count them. */
export const TODAY_START = Date.UTC(2026, 10, 20);
export const MONTH_START = Date.UTC(2026, 10, 1);

/** GETs `path` with `token` (a key or a session) and answers its JSON; fails the test on any status but 200. */
export async function read<T>(app: TestApp, path: string, token: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await app.request(path, { token, headers });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
