/**
 * SQLite against PostgreSQL in the same run: batched ingest over HTTP, and the 30-day summary
 * over a million events. PostgreSQL is a throwaway local cluster (fsync off, as in tests), so
 * the rows compare the code paths, not durable-disk speed. Run alone: `npx tsx bench/postgres.ts`.
 */
import { findPgBin, signupUser, startPgCluster, startServerProcess } from '@llmlab/server/testing';
import pg from 'pg';
import { type BenchRow, median, round } from './lib.js';
import { httpIngest } from './server-ingest.js';
import { run as sqliteSummary } from './summary.js';

const EVENTS = 1_000_000;

async function pgSummary(url: string): Promise<number> {
  const server = await startServerProcess({ env: { DATABASE_URL: url } });
  try {
    const u = await signupUser(server.baseUrl);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const now = Date.now();
    await client.query(
      `insert into events (id, project_id, event_id, ts, provider, model, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, price_source, latency_ms, status, feature, end_user, source, received_at)
       select 'pg' || n, $1, 'bench-' || n, $2::bigint - ((n::bigint * 7919) % (45::bigint * 86400000)),
              (array['openai','openai','anthropic','anthropic','google','openai'])[1 + n % 6],
              (array['gpt-4o','gpt-4o-mini','claude-3-5-sonnet','claude-3-haiku','gemini-1.5-flash','o3-mini'])[1 + n % 6],
              300 + n % 2000, 50 + n % 500, 0, 0, 0, 1000 + n % 5000, 'bench', 500, 'success',
              (array['chat','search','summarize','classify','extract','agent','embed-prep','support'])[1 + n % 8], 'user-' || (n % 5000), 'sdk', $2
       from generate_series(0, $3::int - 1) as n`,
      [u.projectId, now, EVENTS],
    );
    await client.query(
      `insert into usage_hourly select project_id, (ts / 3600000) * 3600000, provider, model, coalesce(feature, ''), count(*), 0, sum(input_tokens), sum(output_tokens), 0, 0, 0, sum(cost_nanos), 0, sum(latency_ms)
       from events where project_id = $1 group by 1, 2, 3, 4, 5`,
      [u.projectId],
    );
    await client.query('analyze');
    await client.end();
    const times: number[] = [];
    for (let i = 0; i < 45; i++) {
      const t = performance.now();
      const res = await fetch(`${server.baseUrl}/api/costs/summary?days=30`, { headers: { authorization: `Bearer ${u.apiKey}` } });
      await res.json();
      if (i >= 5) times.push(performance.now() - t);
    }
    return median(times);
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<BenchRow[]> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const cluster = await startPgCluster(bin);
  try {
    const sqliteIngest = await httpIngest();
    const pgIngest = await httpIngest({ DATABASE_URL: cluster.url });
    const [sqliteRow] = await sqliteSummary(EVENTS);
    const pgMs = await pgSummary(cluster.url);
    return [
      { name: 'batched ingest over HTTP, PostgreSQL vs SQLite', value: Math.round(pgIngest), unit: 'events/s', reference: Math.round(sqliteIngest), ratio: round(pgIngest / sqliteIngest), target: 'informational', pass: true },
      { name: 'summary 30 days, 1M events, PostgreSQL vs SQLite', value: round(pgMs), unit: 'ms median', reference: sqliteRow.value, ratio: round(pgMs / sqliteRow.value), target: '< 50 ms', pass: pgMs < 50 },
    ];
  } finally {
    cluster.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
