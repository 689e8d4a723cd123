/**
 * Benchmark: `llmlab status` against a local server holding a million events.
 * Target: under 300 ms, median of repeated runs, measured with the bundled CLI as users run it.
 * Reference: the start-up time of a bare `node -e ''` measured in the same run.
 * Run alone with `npx tsx bench/cli-status.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { type BenchRow, median } from './lib.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'packages', 'cli');
const EVENTS = 1_000_000;
const BATCH = 1_000;
const PARALLEL = 4;
const RUNS = 15;
const TARGET_MS = 300;

const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4'],
  ['anthropic', 'claude-3-haiku'],
  ['anthropic', 'claude-3-5-sonnet'],
  ['google', 'gemini-1.5-flash'],
] as const;
const FEATURES = ['chat', 'search', 'summarize', 'classify', 'extract'];

/** Batch `b` of the seed: calls spread over the last 29 days (all inside `status`'s 30), six models, five features. */
function batchBody(b: number, now: number): string {
  const events = [];
  for (let i = 0; i < BATCH; i++) {
    const n = b * BATCH + i;
    const [provider, model] = MODELS[n % MODELS.length];
    events.push({
      provider,
      model,
      input_tokens: 200 + (n % 1800),
      output_tokens: 50 + (n % 400),
      feature: FEATURES[n % FEATURES.length],
      timestamp: new Date(now - ((n * 5_183) % (29 * 86_400_000))).toISOString(),
      event_id: `bench-${n}`,
    });
  }
  return JSON.stringify({ events });
}

async function seed(baseUrl: string, apiKey: string): Promise<number> {
  const started = performance.now();
  const now = Date.now() - 60_000;
  let next = 0;
  const worker = async () => {
    for (let b = next++; b < EVENTS / BATCH; b = next++) {
      const response = await fetch(`${baseUrl}/api/events/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: batchBody(b, now),
      });
      if (!response.ok) throw new Error(`seeding batch ${b} failed: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return (performance.now() - started) / 1000;
}

/**
 * Median wall time of each command over `runs` rounds, after one warm-up round. The commands
 * take turns within a round so that load from the rest of the machine hits all of them alike.
 */
function medianMs(commands: string[][], env: NodeJS.ProcessEnv, runs = RUNS): number[] {
  const times: number[][] = commands.map(() => []);
  for (let round = 0; round <= runs; round++) {
    commands.forEach(([command, ...args], i) => {
      const started = performance.now();
      const result = spawnSync(command, args, { env, encoding: 'utf8' });
      const elapsed = performance.now() - started;
      if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
      if (round > 0) times[i].push(elapsed);
    });
  }
  return times.map(median);
}

/** Median time of the summary request alone, for reading how much of `status` is the server's. */
async function timeSummary(baseUrl: string, apiKey: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/costs/summary?days=30&tz=UTC`, { headers: { authorization: `Bearer ${apiKey}` } });
    await response.json();
    if (i > 0) times.push(performance.now() - started);
  }
  return median(times);
}

function row(name: string, value: number, reference: number): BenchRow {
  return {
    name,
    value: Math.round(value),
    unit: 'ms',
    reference: Math.round(reference),
    ratio: Number((value / reference).toFixed(2)),
    target: `< ${TARGET_MS} ms`,
    pass: value < TARGET_MS,
  };
}

export async function run(): Promise<BenchRow[]> {
  // The bundle of the current sources, built where its dependencies resolve as dist/ does.
  const bundle = join(CLI, '.tmp', `bench-${process.pid}`);
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', bundle, '--silent'], { cwd: CLI });
  const server = await startServerProcess();
  const configDir = mkdtempSync(join(tmpdir(), 'llmlab-bench-'));
  try {
    const account = await signupUser(server.baseUrl);
    const seconds = await seed(server.baseUrl, account.apiKey);
    process.stderr.write(`seeded ${EVENTS.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s\n`);
    const env: NodeJS.ProcessEnv = { ...process.env, LLMLAB_CONFIG_DIR: configDir, LLMLAB_BASE_URL: server.baseUrl, LLMLAB_API_KEY: account.apiKey };
    delete env.NO_COLOR;
    const entry = join(bundle, 'llmlab.js');
    const check = spawnSync(process.execPath, [entry, 'status', '--json'], { env, encoding: 'utf8' });
    const calls = JSON.parse(check.stdout).calls as number;
    if (calls !== EVENTS) throw new Error(`the summary counts ${calls} calls, not ${EVENTS}`);
    const summaryMs = await timeSummary(server.baseUrl, account.apiKey);
    process.stderr.write(`the summary request alone: ${summaryMs.toFixed(0)} ms (median, server side and HTTP)\n`);
    const [node, status, version] = medianMs(
      [
        [process.execPath, '-e', ''],
        [process.execPath, entry, 'status'],
        [process.execPath, entry, '--version'],
      ],
      env,
    );
    return [row('cli: llmlab status, 1M events (median)', status, node), row('cli: llmlab --version start-up (median)', version, node)];
  } finally {
    await server.stop();
    rmSync(configDir, { recursive: true, force: true });
    rmSync(bundle, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run();
  console.table(rows);
}
