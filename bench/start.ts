/**
 * Benchmark: how long `npm start` takes to serve. The server process as `npm start` runs it (the
 * V8 flags of packages/server/node-flags.json, then the bundled packages/server/dist/main.js) on
 * a new SQLite database, from spawn to the first 200 on GET /health, migrations included.
 * Target: under 1 s, median of repeated runs. Reference: the start before the bundle, the
 * TypeScript sources through tsx, measured in the same rounds.
 * Run alone with `npx tsx bench/start.ts`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRow, median, round } from './lib.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(ROOT, 'packages', 'server');
const RUNS = 9;
const TARGET_MS = 1_000;
const DEADLINE_MS = 60_000;
const NODE_FLAGS: string[] = JSON.parse(readFileSync(join(SERVER, 'node-flags.json'), 'utf8'));

/** Milliseconds from spawning `node ...args` to a 200 from its /health, on a database of its own. */
async function timeToHealthy(args: string[]): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'llmlab-bench-start-'));
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `sqlite:${join(dataDir, 'llmlab.db')}`,
    LLMLAB_LOG_LEVEL: 'warn',
    // Both starts serve the checkout's dashboard, wherever the bundle under test was built.
    LLMLAB_WEB_DIST: join(ROOT, 'packages', 'web', 'dist'),
  };
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((ready, fail) => {
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = out.match(/running at http:\/\/[^:]+:(\d+)/);
        if (m) ready(Number(m[1]));
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        err += d;
      });
      child.once('exit', (code) => fail(new Error(`the server exited with ${code}:\n${err}`)));
      setTimeout(() => fail(new Error(`the server did not start in ${DEADLINE_MS} ms:\n${err}`)), DEADLINE_MS).unref();
    });
    // It prints the line once listening; /health answering 200 is what a load balancer waits for.
    while (performance.now() - started < DEADLINE_MS) {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - started;
    }
    throw new Error(`/health did not answer 200 in ${DEADLINE_MS} ms`);
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  // The bundle of the current sources, built beside dist/ so that its dependencies resolve alike.
  const bundle = join(SERVER, '.tmp', `bench-${process.pid}`);
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', bundle, '--silent'], { cwd: SERVER });
  const commands = [[join(bundle, 'main.js')], ['--import', 'tsx', join(SERVER, 'src', 'main.ts')]];
  const times: number[][] = commands.map(() => []);
  try {
    // One warm-up round (disk cache, tsx's transform cache), then the commands take turns.
    for (let round = 0; round <= RUNS; round++) {
      for (const [i, args] of commands.entries()) {
        const ms = await timeToHealthy(args);
        if (round > 0) times[i].push(ms);
      }
    }
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
  const [bundled, sources] = times.map(median);
  process.stderr.write(`bundled: ${times[0].map((t) => t.toFixed(0)).join(' ')} ms; tsx: ${times[1].map((t) => t.toFixed(0)).join(' ')} ms\n`);
  return [
    {
      name: 'npm start to a healthy /health on a new SQLite database, bundled server (median; reference: the TypeScript sources through tsx, ms)',
      value: round(bundled, 0),
      unit: 'ms',
      reference: round(sources, 0),
      ratio: round(bundled / sources),
      target: `< ${TARGET_MS} ms`,
      pass: bundled < TARGET_MS,
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run();
  console.table(rows);
}
