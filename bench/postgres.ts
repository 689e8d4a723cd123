/**
 * PostgreSQL in one run, on one throwaway local cluster (fsync off, as in tests), so the rows
 * compare code paths, not durable-disk speed:
 *  (a) batched ingest over HTTP (200 batches of 1,000 events from 4 clients) against SQLite, and
 *      against a bare `pg` loop writing the same rows (events and rollup upserts) the best way
 *      PostgreSQL offers: one `INSERT ... SELECT FROM unnest(...)` per table per batch, one
 *      transaction per batch, 4 connections: target >= 0.5 of it;
 *  (b) the same ingest through 1, 2 and 3 server processes on the one database, and the CPU time
 *      PostgreSQL and the servers spend per 1,000 events (on a machine whose few cores they all
 *      share, those say how far servers on their own machines would scale before the database
 *      is the limit);
 *  (c) the size of events and rollups (indexes included) per million events, against SQLite's;
 *  (d) the 30-day summary over a million events, against SQLite.
 * Each ingest writes into a database of its own, so none pays for another's rows.
 * Run alone: `npx tsx bench/postgres.ts`.
 */
import { join } from 'node:path';
import { priceUsage } from '@llmlab/core';
import { findPgBin, type PgCluster, signupUser, startPgCluster, startServerProcess } from '@llmlab/server/testing';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { rollupDeltas } from '../packages/server/src/db/rollups.js';
import { type BenchRow, median, round } from './lib.js';
import { childrenCpu, parentOf, treeCpu } from './process-cpu.js';
import { BATCH, BATCHES, eventsFor, sendBatches } from './server-ingest.js';
import { run as sqliteSummary } from './summary.js';

const EVENTS = 1_000_000;
const SERVERS = [1, 2, 3];

interface Ingest {
  /** Events/s. */
  rate: number;
  /** Bytes of events and usage_hourly with their indexes, per event stored. */
  bytesPerEvent: number;
  /** CPU ms of PostgreSQL (every backend) per 1,000 events, while the clients sent. */
  dbCpu: number;
  /** CPU ms of the server processes per 1,000 events, while the clients sent. */
  serverCpu: number;
}

/** The cluster's postmaster: its CPU time and its backends' is PostgreSQL's. */
async function postmasterOf(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    return parentOf(rows[0].pid);
  } finally {
    await client.end();
  }
}

const perThousandEvents = (cpuSeconds: number) => (cpuSeconds * 1000) / ((BATCHES * BATCH) / 1000);

/** A new empty database in the cluster; its URL. */
async function createDatabase(cluster: PgCluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `postgres://llmlab@127.0.0.1:${cluster.port}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return `postgres://llmlab@127.0.0.1:${cluster.port}/${name}`;
}

/** Batched ingest through `servers` server processes on one PostgreSQL database, the clients spread over them. */
async function pgIngest(url: string, postmaster: number, servers: number): Promise<Ingest> {
  const started = [];
  for (let i = 0; i < servers; i++) started.push(await startServerProcess({ env: { DATABASE_URL: url } }));
  try {
    const u = await signupUser(started[0].baseUrl);
    const [db0, servers0] = [treeCpu(postmaster), childrenCpu(process.pid)];
    const rate = await sendBatches(started.map((s) => s.baseUrl), u.apiKey);
    const [dbCpu, serverCpu] = [perThousandEvents(treeCpu(postmaster) - db0), perThousandEvents(childrenCpu(process.pid) - servers0)];
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ bytes: number; events: number }>(
        `select (pg_total_relation_size('events') + pg_total_relation_size('usage_hourly'))::float8 as bytes, (select count(*) from events)::int as events`,
      );
      if (rows[0].events !== BATCHES * BATCH) throw new Error(`stored ${rows[0].events} events, sent ${BATCHES * BATCH}`);
      return { rate, bytesPerEvent: rows[0].bytes / rows[0].events, dbCpu, serverCpu };
    } finally {
      await client.end();
    }
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}

/** The same ingest on SQLite, and the size of the same tables there (read with dbstat once the server has closed the file). */
async function sqliteIngest(): Promise<{ rate: number; bytesPerEvent: number }> {
  const server = await startServerProcess();
  try {
    const u = await signupUser(server.baseUrl);
    const rate = await sendBatches([server.baseUrl], u.apiKey);
    await server.kill('SIGTERM');
    const db = new SQLite(join(server.dataDir, 'llmlab.db'));
    try {
      const { bytes } = db.prepare(`select sum(pgsize) as bytes from dbstat where name in (select name from sqlite_master where tbl_name in ('events', 'usage_hourly'))`).get() as { bytes: number };
      const { events } = db.prepare('select count(*) as events from events').get() as { events: number };
      return { rate, bytesPerEvent: bytes / events };
    } finally {
      db.close();
    }
  } finally {
    await server.stop();
  }
}

// The columns that vary by event go as arrays; those of the whole request (project, key, source,
// arrival) as single values; those LLMLab stores as null or their default are left to the table.
const BARE_EVENTS = `insert into events (id, event_id, ts, provider, model, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, price_source, status, feature, project_id, api_key_id, source, received_at)
  select e.*, $15, $16, $17, $18::bigint
  from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::text[]) as e
  on conflict (project_id, event_id) do nothing`;
const ROLLUP_COLUMNS = ['project_id', 'hour', 'provider', 'model', 'feature', 'calls', 'error_calls', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos', 'unpriced_calls', 'latency_ms_sum', 'cache_hits', 'saved_nanos'] as const;
const BARE_ROLLUPS = `insert into usage_hourly (${ROLLUP_COLUMNS.join(', ')})
  select * from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], ${ROLLUP_COLUMNS.slice(5).map((_, i) => `$${i + 6}::bigint[]`).join(', ')})
  on conflict (project_id, hour, provider, model, feature, service_tier) do update set ${ROLLUP_COLUMNS.slice(5).map((c) => `${c} = usage_hourly.${c} + excluded.${c}`).join(', ')}`;

/** One batch's parameters for the two bare statements: the rows the server stores for these events, priced and given ids beforehand. */
function bareBatch(b: number, now: number, projectId: string, keyId: string) {
  const rows = eventsFor(b, now).map((e) => {
    const priced = priceUsage({ provider: e.provider, model: e.model, ts: e.timestamp, usage: e });
    return {
      id: uuidv7(), project_id: projectId, event_id: e.event_id, ts: e.timestamp, provider: e.provider, model: e.model, input_tokens: e.input_tokens, output_tokens: e.output_tokens,
      cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_nanos: priced.cost_nanos, price_source: priced.price_source, status: 'success', feature: e.feature,
      latency_ms: null, cache_hit: 0, saved_nanos: null, service_tier: null,
    };
  });
  const column = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  const events = [
    column('id'), column('event_id'), column('ts'), column('provider'), column('model'), column('input_tokens'), column('output_tokens'), column('cached_input_tokens'),
    column('cache_write_tokens'), column('reasoning_tokens'), column('cost_nanos'), column('price_source'), column('status'), column('feature'), projectId, keyId, 'api', now,
  ];
  const deltas = rollupDeltas(rows);
  return { events, rollups: ROLLUP_COLUMNS.map((c) => deltas.map((d) => d[c])) };
}

/** The floor: the same rows into the same tables, indexes and settings, by hand with node-postgres; rows/s and PostgreSQL's CPU ms per 1,000. */
async function bareLoop(url: string, postmaster: number): Promise<{ rate: number; dbCpu: number }> {
  const server = await startServerProcess({ env: { DATABASE_URL: url } });
  const u = await signupUser(server.baseUrl);
  await server.stop();
  const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const { rows } = await clients[0].query<{ id: string }>('select id from api_keys where project_id = $1', [u.projectId]);
    const now = Date.now();
    const batches = Array.from({ length: BATCHES }, (_, b) => bareBatch(b, now, u.projectId, rows[0].id));
    const db0 = treeCpu(postmaster);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      clients.map(async (c) => {
        while (next < batches.length) {
          const batch = batches[next++];
          await c.query('begin');
          await c.query(BARE_EVENTS, batch.events);
          await c.query(BARE_ROLLUPS, batch.rollups);
          await c.query('commit');
        }
      }),
    );
    return { rate: (BATCHES * BATCH) / ((performance.now() - started) / 1000), dbCpu: perThousandEvents(treeCpu(postmaster) - db0) };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

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

const MB = 2 ** 20;

export async function run(): Promise<BenchRow[]> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const cluster = await startPgCluster(bin);
  try {
    const postmaster = await postmasterOf(cluster.url);
    const sqlite = await sqliteIngest();
    const bare = await bareLoop(await createDatabase(cluster, 'bench_bare'), postmaster);
    const scaled: Ingest[] = [];
    for (const n of SERVERS) scaled.push(await pgIngest(await createDatabase(cluster, `bench_servers_${n}`), postmaster, n));
    const [one] = scaled;
    const [sqliteRow] = await sqliteSummary(EVENTS);
    const pgMs = await pgSummary(cluster.url);
    const pgMb = (one.bytesPerEvent * 1e6) / MB;
    const sqliteMb = (sqlite.bytesPerEvent * 1e6) / MB;
    return [
      { name: 'batched ingest over HTTP, PostgreSQL vs SQLite', value: Math.round(one.rate), unit: 'events/s', reference: Math.round(sqlite.rate), ratio: round(one.rate / sqlite.rate), target: 'informational', pass: true },
      {
        name: 'batched ingest over HTTP, PostgreSQL (reference: bare pg loop, one INSERT ... SELECT FROM unnest per table per batch, rows/s)',
        value: Math.round(one.rate), unit: 'events/s', reference: Math.round(bare.rate), ratio: round(one.rate / bare.rate), target: '>= 0.5 x bare pg loop', pass: one.rate / bare.rate >= 0.5,
      },
      ...SERVERS.slice(1).map((n, i) => ({
        name: `batched ingest over HTTP, ${n} servers on one PostgreSQL (reference: 1 server, events/s)`,
        value: Math.round(scaled[i + 1].rate), unit: 'events/s', reference: Math.round(one.rate), ratio: round(scaled[i + 1].rate / one.rate), target: 'informational', pass: true,
      })),
      {
        name: 'PostgreSQL CPU per 1,000 events, batched ingest through LLMLab (reference: the bare pg loop, ms)',
        value: round(one.dbCpu, 1), unit: 'ms', reference: round(bare.dbCpu, 1), ratio: round(one.dbCpu / bare.dbCpu), target: 'informational', pass: true,
      },
      {
        name: 'server CPU per 1,000 events, batched ingest on PostgreSQL (reference: PostgreSQL CPU for the same events, ms)',
        value: round(one.serverCpu, 1), unit: 'ms', reference: round(one.dbCpu, 1), ratio: round(one.serverCpu / one.dbCpu), target: 'informational', pass: true,
      },
      {
        name: 'PostgreSQL size of events + hourly rollups with indexes, per million events (reference: SQLite, MB)',
        value: round(pgMb, 1), unit: 'MB', reference: round(sqliteMb, 1), ratio: round(pgMb / sqliteMb), target: 'informational', pass: true,
      },
      { name: 'summary 30 days, 1M events, PostgreSQL vs SQLite', value: round(pgMs), unit: 'ms median', reference: sqliteRow.value, ratio: round(pgMs / sqliteRow.value), target: '< 50 ms', pass: pgMs < 50 },
    ];
  } finally {
    cluster.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
