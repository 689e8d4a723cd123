/**
 * `npm run bench -- postgres-100m [--events=N]`: one project with N events (default 100 million)
 * over 90 days on a throwaway PostgreSQL cluster, loaded by the database itself (see
 * postgres-100m-load.ts), then every read a dashboard or API client makes, over HTTP with the
 * project's key against one server process: median of several runs after warm-up, each against
 * the issue's target; the reference of a latency is GET /health on the same server in the same
 * run. The export's reference is the same rows read straight from PostgreSQL by this process,
 * a page of 2,000 at a time as the server reads them. The cluster and its data are deleted at the end.
 */
import { readFileSync } from 'node:fs';
import { findPgBin, type SignedUpUser, signupUser, startPgCluster, startServerProcess } from '@llmlab/server/testing';
import pg from 'pg';
import { encodeCursor } from '../packages/server/src/http/cursor.js';
import { type BenchRow, median, round } from './lib.js';
import { CLUSTER_SETTINGS, DAY, loadEvents, SPAN_DAYS, tuneCluster } from './postgres-100m-load.js';

const arg = process.argv.find((a) => a.startsWith('--events='));
const EVENTS = arg ? Number(arg.slice('--events='.length)) : 100_000_000;
/** Rows the export is asked for: a recent range holding about this many. */
const EXPORT_ROWS = Math.min(1_000_000, Math.floor(EVENTS / 3));

const log = (line: string) => process.stderr.write(`${line}\n`);

function rssMb(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : 0;
}

type Get = (path: string) => Promise<{ ms: number; body: unknown }>;

/** Median ms of `path` after warm-up; fewer runs when one takes seconds. */
async function timed(get: Get, path: string): Promise<{ ms: number; body: unknown }> {
  let body: unknown;
  const first = await get(path);
  body = first.body;
  const slow = first.ms > 2000;
  for (let i = 0; i < (slow ? 1 : 3); i++) await get(path);
  const times: number[] = [];
  for (let i = 0; i < (slow ? 3 : 15); i++) {
    const r = await get(path);
    times.push(r.ms);
    body = r.body;
  }
  return { ms: median(times), body };
}

/**
 * Streams the export of [from, now) and counts its rows, sampling the server's resident memory
 * (its peak, and its peak above the RSS before the export).
 */
async function exportRate(baseUrl: string, apiKey: string, from: number, pid: number) {
  const baseline = rssMb(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 50);
  const t = performance.now();
  const res = await fetch(`${baseUrl}/api/export?format=csv&from=${from}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  const rows = lines - 1;
  return { rows, perSecond: rows / seconds, mb: bytes / 2 ** 20, baseline, peak, growth: peak - baseline };
}

/** The same rows read from PostgreSQL by keyset pages of 2,000, as the export reads them: the floor of the export's rate. */
async function directRate(url: string, projectId: string, from: number): Promise<{ rows: number; perSecond: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  let rows = 0;
  let after: [number, string] = [from, ''];
  for (;;) {
    const page = await client.query('select * from events where project_id = $1 and (ts, id) > ($2, $3) order by ts, id limit 2000', [projectId, ...after]);
    rows += page.rows.length;
    if (page.rows.length < 2000) break;
    const last = page.rows[page.rows.length - 1];
    after = [Number(last.ts), last.id];
  }
  await client.end();
  return { rows, perSecond: rows / ((performance.now() - t) / 1000) };
}

/**
 * What retention costs today: the project keeps one day less, the oldest day's raw events are
 * removed as the hourly job removes them (POST /api/admin/retention/apply: batched DELETEs), and
 * the table is vacuumed as autovacuum would after it (each index read whole). Dropping a
 * partition of that day would be a catalogue change instead.
 */
async function retentionCost(baseUrl: string, u: SignedUpUser, url: string, scale: string, insertRate: number): Promise<BenchRow[]> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ deleted?: number }>;
  };
  await call('PATCH', `/api/projects/${u.projectId}`, { retention_days: SPAN_DAYS - 1 });
  let t = performance.now();
  const { deleted = 0 } = await call('POST', '/api/admin/retention/apply');
  const deleteSeconds = (performance.now() - t) / 1000;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t = performance.now();
  await client.query('vacuum events');
  const vacuumSeconds = (performance.now() - t) / 1000;
  await client.end();
  log(`retention: ${deleted} events deleted in ${round(deleteSeconds)} s, vacuum ${round(vacuumSeconds)} s`);
  return [
    { name: `retention removing the oldest day's ${deleted.toLocaleString('en')} raw events in batches of 5,000: ${round(deleteSeconds)} s (reference: rows/s the load inserted), ${scale}`, value: Math.round(deleted / deleteSeconds), unit: 'events/s', reference: Math.round(insertRate), ratio: round(deleted / deleteSeconds / insertRate), target: 'informational', pass: true },
    { name: `VACUUM of events after that retention run (reference: seconds of the run), ${scale}`, value: round(vacuumSeconds), unit: 's', reference: round(deleteSeconds), ratio: round(vacuumSeconds / deleteSeconds), target: 'informational', pass: true },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const cluster = await startPgCluster(bin);
  try {
    await tuneCluster(cluster.url);
    cluster.stop();
    cluster.start();
    log(`cluster settings: ${Object.entries(CLUSTER_SETTINGS).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    const server = await startServerProcess({ env: { DATABASE_URL: cluster.url } });
    try {
      const u = await signupUser(server.baseUrl);
      await server.kill('SIGTERM');
      const client = new pg.Client({ connectionString: cluster.url });
      client.on('error', () => {});
      await client.connect();
      const key = await client.query<{ id: string }>('select id from api_keys where project_id = $1', [u.projectId]);
      const now = Date.now();
      log(`loading ${EVENTS.toLocaleString('en')} events over ${SPAN_DAYS} days`);
      const t = performance.now();
      const steps = await loadEvents({ url: cluster.url, projectId: u.projectId, apiKeyId: key.rows[0].id, events: EVENTS, now }, log);
      const loadSeconds = (performance.now() - t) / 1000;
      const size = await client.query<{ events: string; total: string }>(
        `select pg_size_pretty(pg_total_relation_size('events')) as events, pg_size_pretty(pg_database_size(current_database())) as total`,
      );
      log(`loaded in ${Math.round(loadSeconds)} s (${JSON.stringify(steps)}); events table with indexes ${size.rows[0].events}, database ${size.rows[0].total}`);
      const deep = await client.query<{ ts: string; id: string }>('select ts, id from events where project_id = $1 and ts < $2 order by ts desc, id desc limit 1', [u.projectId, now - 20 * DAY]);
      const exportFrom = now - Math.round((EXPORT_ROWS / EVENTS) * SPAN_DAYS * DAY);
      await client.end();

      await server.restart();
      const pid = server.pid();
      if (!pid) throw new Error('server has no pid');
      const get: Get = async (path) => {
        const started = performance.now();
        const res = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${u.apiKey}` } });
        const body = await res.json();
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
        return { ms: performance.now() - started, body };
      };
      const health = (await timed(get, '/health')).ms;
      const scale = `${(EVENTS / 1e6).toLocaleString('en')}M events`;
      const row = (name: string, ms: number, limit: number): BenchRow => ({
        name: `${name}, ${scale}`, value: round(ms), unit: 'ms median', reference: round(health), ratio: round(ms / health), target: `< ${limit} ms`, pass: ms < limit,
      });
      const rows: BenchRow[] = [
        { name: `load ${scale} over ${SPAN_DAYS} days: INSERT ... SELECT, indexes, rollups, VACUUM ANALYZE (reference: seconds inserting rows)`, value: Math.round(loadSeconds), unit: 's', reference: steps['insert events'], ratio: round(loadSeconds / steps['insert events']), target: '< 3600 s (minutes, not hours)', pass: loadSeconds < 3600 },
      ];
      const measure = async (name: string, path: string, limit: number) => {
        const r = await timed(get, path);
        log(`${name}: ${round(r.ms)} ms`);
        rows.push(row(name, r.ms, limit));
        return r.body;
      };
      await measure('GET /api/costs/summary?days=30', '/api/costs/summary?days=30', 100);
      await measure('GET /api/costs/timeseries?days=30&group_by=model', '/api/costs/timeseries?days=30&group_by=model', 200);
      await measure('GET /api/costs/breakdown?days=30&group_by=model', '/api/costs/breakdown?days=30&group_by=model', 200);
      const byUser = (await measure('GET /api/costs/breakdown?days=30&group_by=user', '/api/costs/breakdown?days=30&group_by=user', 200)) as { rows: unknown[]; raw_events_since: string | null };
      log(`  breakdown by user: ${byUser.rows.length} rows, raw_events_since ${byUser.raw_events_since}`);
      await measure('GET /api/costs/timeseries?days=30&group_by=user', '/api/costs/timeseries?days=30&group_by=user', 200);
      await measure('GET /api/events (first page of 100)', '/api/events', 50);
      await measure('GET /api/events?cursor= (page 20 days back)', `/api/events?cursor=${encodeCursor(Number(deep.rows[0].ts), deep.rows[0].id)}`, 50);
      const anomalies = (await measure('GET /api/anomalies (7 days, with user drivers)', '/api/anomalies', 500)) as { anomalies: { dimension: string; key: string; drivers: { kind: string; key: string }[] }[] };
      log(`  anomalies: ${anomalies.anomalies.map((a) => `${a.dimension}:${a.key} [${a.drivers.map((d) => `${d.kind}:${d.key}`).join(' ')}]`).join('; ')}`);
      const recs = (await measure('GET /api/recommendations', '/api/recommendations', 1000)) as { type: string }[];
      log(`  recommendations: ${recs.map((r) => r.type).join(', ')}`);

      const direct = await directRate(cluster.url, u.projectId, exportFrom);
      // Twice, back to back: RSS saws up and down with the collector (the old generation fills
      // for a while before a full collection), and a stream that held the file would grow by it.
      const first = await exportRate(server.baseUrl, u.apiKey, exportFrom, pid);
      const second = await exportRate(server.baseUrl, u.apiKey, exportFrom, pid);
      const rate = (first.perSecond + second.perSecond) / 2;
      const growth = Math.max(first.peak, second.peak) - first.baseline;
      log(`export: ${first.rows} rows (${round(first.mb)} MB) at ${Math.round(first.perSecond)}/s and ${Math.round(second.perSecond)}/s, RSS ${round(first.baseline)} MB before, peaks ${round(first.peak)} and ${round(second.peak)} MB; direct read ${Math.round(direct.perSecond)}/s`);
      rows.push(
        { name: `GET /api/export?format=csv, ${first.rows.toLocaleString('en')} rows of ${scale}, mean of two (reference: the same rows read straight from PostgreSQL, rows/s)`, value: Math.round(rate), unit: 'rows/s', reference: Math.round(direct.perSecond), ratio: round(rate / direct.perSecond), target: '>= 100,000 rows/s', pass: rate >= 100_000 },
        { name: `server memory over those two exports: peak RSS above the RSS before them (reference: MB of CSV each streamed), ${scale}`, value: round(growth), unit: 'MB', reference: round(first.mb), ratio: round(growth / first.mb), target: '< 128 MB (flat: not the size of the file)', pass: growth < 128 },
      );
      rows.push(...(await retentionCost(server.baseUrl, u, cluster.url, scale, EVENTS / steps['insert events'])));
      return rows;
    } finally {
      await server.stop();
    }
  } finally {
    cluster.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
