/**
 * GET /api/costs/summary?days=30 over 10 million events on SQLite: target < 50 ms median.
 * Reference: GET /health on the same server in the same run. The events are written straight
 * into the database (with their rollups, by the server's own rollup function) since pushing 10M
 * through HTTP would take the benchmark's whole time budget; the summary reads only rollups.
 * Run alone: `npx tsx bench/summary.ts [events]` (e.g. 1000000 for a quicker run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { priceUsage } from '@llmlab/core';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import SQLite from 'better-sqlite3';
import { rollupDeltas } from '../packages/server/src/db/rollups.js';
import { type BenchRow, median, round } from './lib.js';

const MODELS = [['openai', 'gpt-4o'], ['openai', 'gpt-4o-mini'], ['anthropic', 'claude-3-5-sonnet'], ['anthropic', 'claude-3-haiku'], ['google', 'gemini-1.5-flash'], ['openai', 'o3-mini']] as const;
const FEATURES = ['chat', 'search', 'summarize', 'classify', 'extract', 'agent', 'embed-prep', 'support'];
const DAY = 86_400_000;

/** Writes `count` events over the last 45 days for the project, with their hourly rollups. */
export function seedEvents(file: string, projectId: string, count: number): void {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`insert into events (id, project_id, event_id, ts, provider, model, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, price_source, latency_ms, status, error_type, feature, end_user, environment, source, request_hash, tags, metadata, received_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 'bench', 500, 'success', null, ?, ?, null, 'sdk', null, null, null, ?)`);
  const upsert = db.prepare(`insert into usage_hourly (project_id, hour, provider, model, feature, calls, error_calls, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, unpriced_calls, latency_ms_sum)
    values (@project_id, @hour, @provider, @model, @feature, @calls, @error_calls, @input_tokens, @output_tokens, @cached_input_tokens, @cache_write_tokens, @reasoning_tokens, @cost_nanos, @unpriced_calls, @latency_ms_sum)
    on conflict (project_id, hour, provider, model, feature, service_tier) do update set calls = calls + excluded.calls, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cost_nanos = cost_nanos + excluded.cost_nanos, latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum`);
  const now = Date.now();
  const prices = MODELS.map(([provider, model]) => priceUsage({ provider, model, ts: now, usage: { input_tokens: 1_000_000, output_tokens: 0 } }).cost_nanos as number);
  const CHUNK = 50_000;
  const write = db.transaction((start: number) => {
    const rows = [];
    for (let n = start; n < Math.min(count, start + CHUNK); n++) {
      const m = n % MODELS.length;
      const input = 300 + (n % 2000);
      const output = 50 + (n % 500);
      const row = {
        project_id: projectId, ts: now - ((n * 7919) % (45 * DAY)), provider: MODELS[m][0], model: MODELS[m][1], feature: FEATURES[n % FEATURES.length], status: 'success',
        input_tokens: input, output_tokens: output, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_nanos: Math.round((prices[m] * (input + 4 * output)) / 1_000_000), latency_ms: 500,
        cache_hit: 0, saved_nanos: null, service_tier: null,
      };
      insert.run(`b${n}`, projectId, `bench-${n}`, row.ts, row.provider, row.model, input, output, row.cost_nanos, row.feature, `user-${n % 5000}`, now);
      rows.push(row);
    }
    for (const d of rollupDeltas(rows)) upsert.run(d);
  });
  for (let start = 0; start < count; start += CHUNK) write(start);
  db.close();
}

export async function run(count = 10_000_000): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'llmlab-summary-'));
  const file = join(dir, 'llmlab.db');
  const server = await startServerProcess({ env: { DATABASE_URL: `sqlite:${file}` } });
  try {
    const u = await signupUser(server.baseUrl);
    await server.kill('SIGTERM');
    const seeded = performance.now();
    seedEvents(file, u.projectId, count);
    process.stderr.write(`seeded ${count} events in ${Math.round((performance.now() - seeded) / 1000)} s\n`);
    await server.restart();
    const get = async (path: string, auth: boolean) => {
      const t = performance.now();
      const res = await fetch(`${server.baseUrl}${path}`, { headers: auth ? { authorization: `Bearer ${u.apiKey}` } : {} });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };
    for (let i = 0; i < 5; i++) await get('/api/costs/summary?days=30', true);
    const times: number[] = [];
    const health: number[] = [];
    let calls = 0;
    for (let i = 0; i < 40; i++) {
      const r = await get('/api/costs/summary?days=30', true);
      calls = r.body.calls;
      times.push(r.ms);
      health.push((await get('/health', false)).ms);
    }
    const m = median(times);
    const h = median(health);
    return [
      { name: `GET /api/costs/summary?days=30, ${(count / 1e6).toFixed(0)}M events (${(calls / 1e6).toFixed(1)}M in range)`, value: round(m), unit: 'ms median', reference: round(h), ratio: round(m / h), target: '< 50 ms', pass: m < 50 },
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run(process.argv[2] ? Number(process.argv[2]) : undefined));
}
