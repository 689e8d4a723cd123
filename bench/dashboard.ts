/**
 * Dashboard benchmark (not a test): the production bundle's gzipped size, and how fast the
 * overview's data arrives from a real server process holding a million events in the project.
 * Run alone with `npx tsx bench/dashboard.ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { readView } from '../packages/web/src/filters/view';
import { overviewRequests } from '../packages/web/src/pages/overview/overview-requests';
import { type BenchRow, median, round } from './lib.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'packages', 'web');
const EVENTS = 1_000_000;
const BATCH = 1_000;
const INGEST_CONCURRENCY = 4;
const WARMUP = 3;
const SAMPLES = 25;
const BUNDLE_TARGET_KB = 350;
const LATENCY_TARGET_MS = 200;
const DAY_MS = 86_400_000;

/**
 * Every JS and CSS file the browser may load, in KB (1,000 bytes): gzipped (the figure) and raw
 * (the reference).
 */
export function measureBundle(): { gzip: number; raw: number } {
  execFileSync('npm', ['run', 'build', '-w', '@llmlab/web'], { cwd: ROOT, stdio: 'pipe' });
  const assets = join(WEB, 'dist', 'assets');
  if (!existsSync(assets)) throw new Error('the web build produced no dist/assets');
  let gzip = 0;
  let raw = 0;
  for (const file of readdirSync(assets)) {
    if (!file.endsWith('.js') && !file.endsWith('.css')) continue;
    const bytes = readFileSync(join(assets, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { gzip: gzip / 1000, raw: raw / 1000 };
}

/** A deterministic pseudo-random sequence, so every run stores the same million events. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4'],
  ['anthropic', 'claude-3-haiku'],
  ['anthropic', 'claude-3-opus'],
  ['google', 'gemini-1.5-flash'],
] as const;
const FEATURES = ['chat', 'summarize', 'classify', 'search', 'extract', 'translate', 'agent', 'embed-rerank'];

function makeBatch(random: () => number, now: number, size: number) {
  const span = 29 * DAY_MS;
  return Array.from({ length: size }, () => {
    const [provider, model] = MODELS[Math.floor(random() * MODELS.length)];
    return {
      provider,
      model,
      input_tokens: 200 + Math.floor(random() * 4000),
      output_tokens: 20 + Math.floor(random() * 800),
      timestamp: new Date(now - Math.floor(random() * span) - 60_000).toISOString(),
      feature: FEATURES[Math.floor(random() * FEATURES.length)],
      user_id: `user-${Math.floor(random() * 500)}`,
    };
  });
}

async function ingest(baseUrl: string, apiKey: string): Promise<number> {
  const random = generator(42);
  const now = Date.now();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < EVENTS) {
      const size = Math.min(BATCH, EVENTS - next);
      next += size;
      const res = await fetch(`${baseUrl}/api/events/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: makeBatch(random, now, size) }),
      });
      if (!res.ok) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, worker));
  return (performance.now() - started) / 1000;
}

/** Median wall time of fetching all `paths` at once, as the browser does when a page opens. */
async function timeParallel(baseUrl: string, apiKey: string, paths: string[]): Promise<number> {
  const once = async () => {
    const started = performance.now();
    await Promise.all(
      paths.map(async (p) => {
        const res = await fetch(`${baseUrl}${p}`, { headers: { authorization: `Bearer ${apiKey}` } });
        if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }),
    );
    return performance.now() - started;
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await once());
  return median(samples);
}

function pathOf(path: string, query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  return `${path}?${params}`;
}

export async function run(): Promise<BenchRow[]> {
  const bundle = measureBundle();
  const rows: BenchRow[] = [
    {
      name: 'dashboard bundle gzipped, all JS + CSS (reference: the same files uncompressed, KB)',
      value: round(bundle.gzip, 1),
      unit: 'KB',
      reference: round(bundle.raw, 1),
      ratio: round(bundle.gzip / bundle.raw, 2),
      target: `< ${BUNDLE_TARGET_KB} KB`,
      pass: bundle.gzip < BUNDLE_TARGET_KB,
    },
  ];

  const server = await startServerProcess();
  try {
    const user = await signupUser(server.baseUrl);
    const seconds = await ingest(server.baseUrl, user.apiKey);
    process.stderr.write(`stored ${EVENTS.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s\n`);

    const view = readView(new URLSearchParams('days=30'));
    const reqs = overviewRequests(view, 'model');
    const core = [
      pathOf('/api/costs/summary', { days: 30, tz: view.tz }),
      pathOf(reqs.timeseries.path, reqs.timeseries.query),
      pathOf(reqs.models.path, reqs.models.query),
    ];
    const page = [pathOf('/api/budgets', {}), ...Object.values(reqs).map((r) => pathOf(r.path, r.query))];
    const health = await timeParallel(server.baseUrl, user.apiKey, ['/health']);
    const coreMs = await timeParallel(server.baseUrl, user.apiKey, core);
    const pageMs = await timeParallel(server.baseUrl, user.apiKey, page);
    for (const [name, ms] of [
      [
        'dashboard overview data: summary + timeseries + breakdown, 30 days, 1M events (median; reference: GET /health, ms)',
        coreMs,
      ],
      [
        `dashboard overview page: all ${page.length} data requests at once, 30 days, 1M events (median; reference: GET /health, ms)`,
        pageMs,
      ],
    ] as const) {
      rows.push({
        name,
        value: round(ms, 1),
        unit: 'ms',
        reference: round(health, 2),
        ratio: round(ms / health, 1),
        target: `< ${LATENCY_TARGET_MS} ms`,
        pass: ms < LATENCY_TARGET_MS,
      });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await run();
  console.table(rows);
  process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
}
