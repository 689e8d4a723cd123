/**
 * Proxy overhead (a benchmark, not a test). One local upstream answering as OpenAI does (JSON
 * after a fixed think time; SSE whose first event follows the same think time) in its own
 * process; the same requests sent to it directly, through LLMLab's /proxy/openai (a real server
 * process on SQLite, recording every call) and through the Portkey open-source gateway
 * (`@portkey-ai/gateway`, its own process, custom host = the same upstream), at 100 concurrent
 * connections with bounded counts, the targets taking turns in slices. A bare pass-through proxy
 * is measured alongside as the floor. Added latency = proxied minus direct, at the median and
 * p99, for JSON (full response) and streams (time to first byte).
 * Gemini streams are measured the same way: the upstream also answers `:streamGenerateContent?alt=sse`
 * (the same think time and pacing, Gemini's chunks), sent to it directly and through LLMLab's
 * /proxy/google, taking their turns in the same slices; afterwards the project must hold one
 * priced 'google' event for every Gemini call LLMLab answered, or the Gemini rows fail.
 * The upstream, the bare proxy and the load generator are in `proxy-processes.ts`.
 * The upstream and the load generator are the instruments, not what is measured: each runs in its
 * own process with a fixed 64 MB young generation, so their own garbage collection (which falls on
 * every target alike) pauses rarely and adds less noise to the p99s. The servers measured run as
 * they ship: LLMLab with the flags `npm start` gives it, the others with Node's defaults.
 * Targets: under 1 ms median and 5 ms p99, and below Portkey's added latency.
 * Run alone: `npx tsx bench/proxy.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventExportAnswer } from '@llmlab/core';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { type BenchRow, median, percentile, round } from './lib.js';
import { type Measured, type Target, THINK_MS } from './proxy-processes.js';

/** V8 flags for the upstream and the load generator (see the header). */
const INSTRUMENT_FLAGS = ['--min-semi-space-size=64', '--max-semi-space-size=64'];

/** Spawns a child and resolves with the first stdout match of `ready` (within `waitMs`). */
function spawnUntil(args: string[], ready: RegExp, env: Record<string, string> = {}, waitMs = 30_000): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args.slice(0, 6).join(' ')} did not answer in ${waitMs / 1000} s: ${out.slice(0, 2000)}`)), waitMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    });
    child.stderr?.resume();
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.slice(0, 6).join(' ')} exited with ${code}: ${out.slice(0, 2000)}`));
    });
  });
}

function addedRow(name: string, proxied: number[], direct: number[], stat: 'median' | 'p99', limitMs: number): BenchRow {
  const pick = (xs: number[]) => (stat === 'median' ? median(xs) : percentile(xs, 99));
  const added = round(pick(proxied) - pick(direct), 3);
  const reference = round(pick(direct), 3);
  return { name, value: added, unit: 'ms', reference, ratio: round(added / reference, 4), target: `< ${limitMs} ms added`, pass: added < limitMs };
}

/** What the bare pass-through proxy adds: a reference for the rows after it, no target of its own. */
function floorRow(name: string, proxied: number[], direct: number[], stat: 'median' | 'p99'): BenchRow {
  const pick = (xs: number[]) => (stat === 'median' ? median(xs) : percentile(xs, 99));
  const added = round(pick(proxied) - pick(direct), 3);
  const reference = round(pick(direct), 3);
  return { name, value: added, unit: 'ms', reference, ratio: round(added / reference, 4), target: 'informational', pass: true };
}

/** Ours against Portkey's added latency; a Portkey that answered no call at all cannot be compared (pass: false). */
function versusRow(name: string, ours: number[], theirs: number[], direct: number[]): BenchRow {
  const value = round(median(ours) - median(direct), 3);
  if (!theirs.length) return { name: `${name} (Portkey answered no call)`, value, unit: 'ms', reference: 0, ratio: 0, target: 'below Portkey', pass: false };
  const reference = round(median(theirs) - median(direct), 3);
  return { name, value, unit: 'ms', reference, ratio: reference > 0 ? round(value / reference, 3) : 0, target: 'below Portkey', pass: value < reference };
}

/**
 * The proxy's events of `provider` in the project: how many, and how many carry a cost. Recording
 * trails the answers a little, so it waits (up to 15 s) for `expected` of them.
 */
async function recordedEvents(baseUrl: string, apiKey: string, provider: string, expected: number): Promise<{ events: number; priced: number; models: string[] }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/export?format=json&source=proxy&provider=${provider}`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (!res.ok) throw new Error(`GET /api/export answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const events = (await res.json()) as EventExportAnswer;
    const mine = events.filter((e) => e.provider === provider);
    if (mine.length >= expected || Date.now() > deadline) {
      return { events: mine.length, priced: mine.filter((e) => e.cost !== null).length, models: [...new Set(mine.map((e) => e.model))] };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function run(): Promise<BenchRow[]> {
  // The upstream, the bare proxy and the load generator (see proxy-processes.ts).
  const processes = fileURLToPath(new URL('./proxy-processes.ts', import.meta.url));
  const upstream = await spawnUntil([...INSTRUMENT_FLAGS, '--import', 'tsx', processes, '--upstream', `--think-ms=${THINK_MS}`], /listening (\d+)/);
  const upstreamUrl = `http://127.0.0.1:${upstream.match[1]}`;
  const bare = await spawnUntil(['--import', 'tsx', processes, '--bare-proxy', upstreamUrl], /listening (\d+)/);
  const portkeyPort = 18_000 + Math.floor(Math.random() * 2000);
  const portkeyStart = createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  // Portkey 1.15.2 cannot stream on Node without this shim (see bench/portkey-fetch-shim.mjs).
  const shim = pathToFileURL(fileURLToPath(new URL('./portkey-fetch-shim.mjs', import.meta.url))).href;
  const portkey = await spawnUntil(['--import', shim, portkeyStart, `--port=${portkeyPort}`, '--headless'], /Ready for connections/, { NODE_ENV: 'production' });
  const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstreamUrl, LLMLAB_GOOGLE_BASE_URL: upstreamUrl, LLMLAB_LOG_LEVEL: 'error' } }).catch((err: unknown) => {
    for (const c of [upstream.child, bare.child, portkey.child]) c.kill();
    throw err;
  });
  try {
    const user = await signupUser(server.baseUrl);
    const auth = { authorization: 'Bearer sk-bench' };
    const googleAuth = { 'x-goog-api-key': 'bench-google-key' };
    const geminiStream = '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';
    const targets: Target[] = [
      { name: 'direct', url: `${upstreamUrl}/v1/chat/completions`, headers: auth },
      { name: 'bare', url: `http://127.0.0.1:${bare.match[1]}/v1/chat/completions`, headers: auth },
      { name: 'llmlab', url: `${server.baseUrl}/proxy/openai/v1/chat/completions`, headers: { ...auth, 'x-llmlab-key': user.apiKey, 'x-llmlab-feature': 'bench' } },
      { name: 'portkey', url: `http://127.0.0.1:${portkeyPort}/v1/chat/completions`, headers: { ...auth, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` } },
      { name: 'direct-gemini', url: `${upstreamUrl}${geminiStream}`, headers: googleAuth, api: 'gemini' },
      { name: 'llmlab-gemini', url: `${server.baseUrl}/proxy/google${geminiStream}`, headers: { ...googleAuth, 'x-llmlab-key': user.apiKey, 'x-llmlab-feature': 'bench' }, api: 'gemini' },
    ];
    const generator = await spawnUntil([...INSTRUMENT_FLAGS, '--import', 'tsx', processes, '--load', JSON.stringify(targets), `--think-ms=${THINK_MS}`], /^results (.*)\n/m, {}, 20 * 60_000);
    generator.child.kill();
    const results: Record<string, Measured> = JSON.parse(generator.match[1]);
    const stats = (xs: number[]) => (xs.length ? `median ${round(median(xs), 2)} ms p99 ${round(percentile(xs, 99), 2)} ms` : 'no successful call');
    for (const t of targets) {
      const r = results[t.name];
      process.stderr.write(`${t.name}: ${t.api === 'gemini' ? '' : `JSON ${stats(r.json)}; `}stream TTFB ${stats(r.ttfb)}${r.failures.length ? `; ${r.failures.length} failed calls (${r.failures[0]})` : ''}\n`);
    }
    process.stderr.write(`load average during the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores\n`);
    const { direct, bare: floor, llmlab, portkey: pk, 'direct-gemini': directGemini, 'llmlab-gemini': llmlabGemini } = results;
    const google = await recordedEvents(server.baseUrl, user.apiKey, 'google', llmlabGemini.answered);
    process.stderr.write(`google events recorded by the proxy: ${google.events} (${google.priced} with a cost, models ${google.models.join(', ') || 'none'}) for ${llmlabGemini.answered} Gemini calls answered\n`);
    const allRecorded = llmlabGemini.answered > 0 && google.events === llmlabGemini.answered && google.priced === google.events;
    /** A Gemini row fails, saying why, when the calls it measured were not all recorded with a cost. */
    const recorded = (row: BenchRow): BenchRow => (allRecorded ? row : { ...row, name: `${row.name} (${google.events} google events, ${google.priced} priced, for ${llmlabGemini.answered} calls)`, pass: false });
    return [
      floorRow('bare pass-through proxy added latency, JSON, median (this machine\'s floor for one more hop)', floor.json, direct.json, 'median'),
      floorRow('bare pass-through proxy added latency, JSON, p99', floor.json, direct.json, 'p99'),
      floorRow('bare pass-through proxy added TTFB, stream, median', floor.ttfb, direct.ttfb, 'median'),
      floorRow('bare pass-through proxy added TTFB, stream, p99', floor.ttfb, direct.ttfb, 'p99'),
      addedRow('proxy added latency, JSON, median (100 conn)', llmlab.json, direct.json, 'median', 1),
      addedRow('proxy added latency, JSON, p99 (100 conn)', llmlab.json, direct.json, 'p99', 5),
      addedRow('proxy added TTFB, stream, median (100 conn)', llmlab.ttfb, direct.ttfb, 'median', 1),
      addedRow('proxy added TTFB, stream, p99 (100 conn)', llmlab.ttfb, direct.ttfb, 'p99', 5),
      recorded(addedRow('proxy added TTFB, Gemini stream, median (100 conn)', llmlabGemini.ttfb, directGemini.ttfb, 'median', 1)),
      recorded(addedRow('proxy added TTFB, Gemini stream, p99 (100 conn)', llmlabGemini.ttfb, directGemini.ttfb, 'p99', 5)),
      versusRow('proxy added latency vs Portkey gateway, JSON, median', llmlab.json, pk.json, direct.json),
      versusRow('proxy added TTFB vs Portkey gateway, stream, median', llmlab.ttfb, pk.ttfb, direct.ttfb),
    ];
  } finally {
    await server.stop();
    upstream.child.kill();
    bare.child.kill();
    portkey.child.kill();
  }
}


if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run();
  console.table(rows);
}
