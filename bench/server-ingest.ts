/**
 * Benchmarks of the server's write and read paths on SQLite (issue: server):
 *  (a) batched ingest over HTTP (1,000 events a request) against a bare better-sqlite3 insert
 *      loop of the same rows into the same schema, in the same run: target ratio >= 0.5;
 *  (b) single-event POST /api/events/track at 50 connections: >= 5,000 req/s, p99 < 20 ms
 *      (reference: GET /health at the same load);
 * Run alone: `npx tsx bench/server-ingest.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import { priceUsage } from '@llmlab/core';
import { type BenchRow, round } from './lib.js';

export const BATCHES = 200;
export const BATCH = 1000;

/** Batch `b` of the run: its events' content depends only on `b` and `now`. */
export function eventsFor(b: number, now: number) {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    return { provider: 'openai', model: n % 2 ? 'gpt-4o' : 'gpt-4o-mini', input_tokens: 500 + (n % 1000), output_tokens: 100 + (n % 200), feature: `f${n % 7}`, timestamp: now - (n % 86_400_000), event_id: `ing-${n}` };
  });
}

/** Events/s through POST /api/events/batch from four parallel clients, client `c` sending to server `c % baseUrls.length`. */
export async function sendBatches(baseUrls: string[], apiKey: string): Promise<number> {
  const now = Date.now();
  const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify({ events: eventsFor(b, now) }));
  const started = performance.now();
  let next = 0;
  // Four clients in parallel, as an SDK fleet would send.
  await Promise.all(
    Array.from({ length: 4 }, async (_, c) => {
      const baseUrl = baseUrls[c % baseUrls.length];
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await fetch(`${baseUrl}/api/events/batch`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body });
        if (res.status !== 200) throw new Error(`batch ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
  return (BATCHES * BATCH) / ((performance.now() - started) / 1000);
}

/** Events/s through POST /api/events/batch from four parallel clients to one server. */
export async function httpIngest(env: Record<string, string> = {}): Promise<number> {
  const server = await startServerProcess({ env });
  try {
    const u = await signupUser(server.baseUrl);
    return await sendBatches([server.baseUrl], u.apiKey);
  } finally {
    await server.stop();
  }
}

/** The floor: the same rows, straight into the same table, indexes and settings, 1,000 per transaction. */
async function bareInsert(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'llmlab-bare-'));
  const server = await startServerProcess({ env: { DATABASE_URL: `sqlite:${join(dir, 'bare.db')}` } });
  const u = await signupUser(server.baseUrl);
  await server.kill('SIGTERM');
  const db = new SQLite(join(dir, 'bare.db'));
  // The server's own settings, so the two loops differ only by what LLMLab adds.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const insert = db.prepare(`insert into events (id, project_id, event_id, ts, provider, model, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, price_source, latency_ms, status, error_type, feature, end_user, environment, source, request_hash, tags, metadata, received_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, null, 'success', null, ?, null, null, 'api', null, null, null, ?)`);
  const now = Date.now();
  // The rows the server stores for these events: time-ordered ids, their costs and price sources,
  // priced before the clock starts (the loop measures the database alone).
  const many = db.transaction((rows: { id: string; e: ReturnType<typeof eventsFor>[number]; cost: number | null; source: string | null }[]) => {
    for (const { id, e, cost, source } of rows) {
      insert.run(id, u.projectId, e.event_id, e.timestamp, e.provider, e.model, e.input_tokens, e.output_tokens, cost, source, e.feature, now);
    }
  });
  const batches = Array.from({ length: BATCHES }, (_, b) =>
    eventsFor(b, now).map((e) => {
      const priced = priceUsage({ provider: e.provider, model: e.model, ts: e.timestamp, usage: e });
      return { id: uuidv7(), e, cost: priced.cost_nanos, source: priced.price_source };
    }),
  );
  const started = performance.now();
  for (const rows of batches) many(rows);
  const rate = (BATCHES * BATCH) / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

async function cannon(url: string, opts: Partial<autocannon.Options>) {
  return autocannon({ url, connections: 50, duration: 10, ...opts });
}

async function trackLoad(): Promise<{ rps: number; p99: number; healthRps: number; errors: number }> {
  const server = await startServerProcess();
  try {
    const u = await signupUser(server.baseUrl);
    const body = JSON.stringify({ provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'bench' });
    const headers = { authorization: `Bearer ${u.apiKey}`, 'content-type': 'application/json' };
    await cannon(`${server.baseUrl}/api/events/track`, { method: 'POST', headers, body, duration: 2 });
    const track = await cannon(`${server.baseUrl}/api/events/track`, { method: 'POST', headers, body });
    const health = await cannon(`${server.baseUrl}/health`, {});
    return { rps: track.requests.average, p99: track.latency.p99, healthRps: health.requests.average, errors: track.non2xx + track.errors };
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<BenchRow[]> {
  const bare = await bareInsert();
  const http = await httpIngest();
  const t = await trackLoad();
  return [
    { name: 'batched ingest over HTTP (SQLite)', value: Math.round(http), unit: 'events/s', reference: Math.round(bare), ratio: round(http / bare), target: '>= 0.5 x bare insert loop', pass: http / bare >= 0.5 },
    { name: 'POST /api/events/track, 50 connections', value: Math.round(t.rps), unit: 'req/s', reference: Math.round(t.healthRps), ratio: round(t.rps / t.healthRps), target: '>= 5,000 req/s', pass: t.rps >= 5000 && t.errors === 0 },
    { name: 'POST /api/events/track p99', value: t.p99, unit: 'ms', reference: 20, ratio: round(t.p99 / 20), target: '< 20 ms', pass: t.p99 < 20 },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
