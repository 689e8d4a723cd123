/**
 * Proxy overhead (a benchmark, not a test). One local upstream answering as OpenAI does (JSON
 * after a fixed think time; SSE whose first event follows the same think time) in its own
 * process; the same requests sent to it directly, through LLMLab's /proxy/openai (a real server
 * process on SQLite, recording every call) and through the Portkey open-source gateway
 * (`@portkey-ai/gateway`, its own process, custom host = the same upstream), at 100 concurrent
 * connections with bounded counts, the targets taking turns in slices. A bare pass-through proxy
 * is measured alongside as the floor. Added latency = proxied minus direct, at the median and
 * p99, for JSON (full response) and streams (time to first byte).
 * The upstream and the load generator are the instruments, not what is measured: each runs in its
 * own process with a fixed 64 MB young generation, so their own garbage collection (which falls on
 * every target alike) pauses rarely and adds less noise to the p99s. The servers measured run as
 * they ship: LLMLab with the flags `npm start` gives it, the others with Node's defaults.
 * Targets: under 1 ms median and 5 ms p99, and below Portkey's added latency.
 * Run alone: `npx tsx bench/proxy.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { type BenchRow, median, percentile, round } from './lib.js';

/**
 * The upstream's think time before it answers (and before a stream's first event). A short real
 * chat completion takes 0.5-2 s; 500 ms at 100 connections offers ~200 calls/s. `--think-ms=N`
 * changes it: at 50 ms (2,000 calls/s) one LLMLab process is CPU-bound on this 2-core machine,
 * which shares its cores with the upstream and the load generator (see README).
 */
const THINK_MS = Number(process.argv.find((a) => a.startsWith('--think-ms='))?.slice('--think-ms='.length) ?? 500);
const CONNECTIONS = 100;
const PER_CONNECTION = 20;
/** The run is cut into this many slices, each target in turn per slice. */
const SLICES = 4;
/**
 * Calls per connection, JSON and stream each, before any is measured: 1,000 of each per target,
 * so what is measured is a warmed-up process (the JIT has compiled the hot path), as a server
 * that has been up for a while is. At 300 per target LLMLab, which has more code to compile than
 * the bare proxy, was still optimizing during the measured slices.
 */
const WARMUP_PER_CONNECTION = 10;

/** V8 flags for the upstream and the load generator (see the header). */
const INSTRUMENT_FLAGS = ['--min-semi-space-size=64', '--max-semi-space-size=64'];

const CHAT = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Summarise the plot of Hamlet in one sentence, please.' }] });
const STREAM = JSON.stringify({ ...JSON.parse(CHAT), stream: true, stream_options: { include_usage: true } });

/** The upstream, run in a child process so it never shares an event loop with the load. */
function serveUpstream(): void {
  const usage = { prompt_tokens: 30, completion_tokens: 20, total_tokens: 50, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
  const chunk = (choices: unknown[], u: unknown = null) => `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', choices, usage: u })}\n\n`;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const stream = body.includes('"stream":true');
      setTimeout(() => {
        if (!stream) {
          const text = JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, message: { role: 'assistant', content: 'A prince avenges his father.' }, finish_reason: 'stop' }], usage });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
        let i = 0;
        const words = ['A', ' prince', ' avenges', ' his', ' father.'];
        const next = () => {
          if (i < words.length) {
            res.write(chunk([{ index: 0, delta: { content: words[i++] }, finish_reason: null }]));
            setTimeout(next, 2);
            return;
          }
          res.write(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
          res.write(chunk([], usage));
          res.end('data: [DONE]\n\n');
        };
        setTimeout(next, 2);
      }, THINK_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
}

/**
 * The floor: a pass-through proxy with nothing of LLMLab's (no auth, no usage, no recording),
 * built from the same parts (node:http in, node:http out with a keep-alive agent, each chunk
 * written on). What it adds is what one more process hop costs on this machine.
 */
function serveBareProxy(upstream: string): void {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { 'content-type': 'application/json', 'content-length': String(body.length), authorization: String(req.headers.authorization) };
      const up = request({ host: target.hostname, port: target.port, path: req.url, method: 'POST', agent, headers }, (answer) => {
        const out = { ...answer.headers };
        delete out['transfer-encoding'];
        delete out.connection;
        delete out['keep-alive'];
        res.writeHead(answer.statusCode ?? 502, out);
        answer.on('data', (d: Buffer) => res.write(d));
        answer.on('end', () => res.end());
      });
      up.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
}

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

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * Closed-loop load: CONNECTIONS workers on keep-alive sockets, each sending `count` requests in
 * turn, the workers' first calls spread over one think time. Per request: ms to the first body byte and to the end of the response.
 */
async function load(target: Target, body: string, count: number): Promise<{ ttfb: number[]; total: number[]; failures: string[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = new URL(target.url);
  const ttfb: number[] = [];
  const total: number[] = [];
  const failures: string[] = [];
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.headers } }, (res) => {
        let first = true;
        let text = '';
        res.on('data', (d: Buffer) => {
          if (res.statusCode !== 200) text += d.toString();
          if (first && res.statusCode === 200) {
            ttfb.push(performance.now() - started);
            first = false;
          }
        });
        res.on('end', () => {
          if (res.statusCode === 200) total.push(performance.now() - started);
          else failures.push(`HTTP ${res.statusCode} ${text.slice(0, 200)}`);
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  // Connections start spread over one think time, as independent callers do, rather than all in
  // the same millisecond (which would send every call of the run in lockstep bursts of 100).
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      await new Promise((r) => setTimeout(r, (c * THINK_MS) / CONNECTIONS));
      for (let i = 0; i < count; i++) await one();
    }),
  );
  agent.destroy();
  return { ttfb, total, failures };
}

interface Measured {
  json: number[];
  ttfb: number[];
  failures: string[];
}

/**
 * The load generator's whole run (in its own process, see the header): warm-up, then the
 * measured slices with the targets taking turns. Prints `results <json>` when done.
 */
async function generateLoad(targets: Target[]): Promise<void> {
  const results: Record<string, Measured> = Object.fromEntries(targets.map((t) => [t.name, { json: [], ttfb: [], failures: [] }]));
  for (const t of targets) {
    await load(t, CHAT, WARMUP_PER_CONNECTION);
    await load(t, STREAM, WARMUP_PER_CONNECTION);
  }
  // The targets take turns in short slices, so a change in the machine's load during the run
  // (other processes, a noisy neighbour) falls on all of them alike instead of on one phase.
  for (let slice = 0; slice < SLICES; slice++) {
    for (const t of targets) {
      const json = await load(t, CHAT, PER_CONNECTION / SLICES);
      const stream = await load(t, STREAM, PER_CONNECTION / SLICES);
      const r = results[t.name];
      r.json.push(...json.total);
      r.ttfb.push(...stream.ttfb);
      r.failures.push(...json.failures, ...stream.failures);
    }
  }
  process.stdout.write(`results ${JSON.stringify(results)}\n`);
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

export async function run(): Promise<BenchRow[]> {
  const self = fileURLToPath(import.meta.url);
  const upstream = await spawnUntil([...INSTRUMENT_FLAGS, '--import', 'tsx', self, '--upstream', `--think-ms=${THINK_MS}`], /listening (\d+)/);
  const upstreamUrl = `http://127.0.0.1:${upstream.match[1]}`;
  const bare = await spawnUntil(['--import', 'tsx', self, '--bare-proxy', upstreamUrl], /listening (\d+)/);
  const portkeyPort = 18_000 + Math.floor(Math.random() * 2000);
  const portkeyStart = createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  // Portkey 1.15.2 cannot stream on Node without this shim (see bench/portkey-fetch-shim.mjs).
  const shim = pathToFileURL(fileURLToPath(new URL('./portkey-fetch-shim.mjs', import.meta.url))).href;
  const portkey = await spawnUntil(['--import', shim, portkeyStart, `--port=${portkeyPort}`, '--headless'], /Ready for connections/, { NODE_ENV: 'production' });
  const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstreamUrl, LLMLAB_LOG_LEVEL: 'error' } }).catch((err: unknown) => {
    for (const c of [upstream.child, bare.child, portkey.child]) c.kill();
    throw err;
  });
  try {
    const user = await signupUser(server.baseUrl);
    const auth = { authorization: 'Bearer sk-bench' };
    const targets: Target[] = [
      { name: 'direct', url: `${upstreamUrl}/v1/chat/completions`, headers: auth },
      { name: 'bare', url: `http://127.0.0.1:${bare.match[1]}/v1/chat/completions`, headers: auth },
      { name: 'llmlab', url: `${server.baseUrl}/proxy/openai/v1/chat/completions`, headers: { ...auth, 'x-llmlab-key': user.apiKey, 'x-llmlab-feature': 'bench' } },
      { name: 'portkey', url: `http://127.0.0.1:${portkeyPort}/v1/chat/completions`, headers: { ...auth, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` } },
    ];
    const generator = await spawnUntil([...INSTRUMENT_FLAGS, '--import', 'tsx', self, '--load', JSON.stringify(targets)], /^results (.*)\n/m, {}, 20 * 60_000);
    generator.child.kill();
    const results: Record<string, Measured> = JSON.parse(generator.match[1]);
    const stats = (xs: number[]) => (xs.length ? `median ${round(median(xs), 2)} ms p99 ${round(percentile(xs, 99), 2)} ms` : 'no successful call');
    for (const t of targets) {
      const r = results[t.name];
      process.stderr.write(`${t.name}: JSON ${stats(r.json)}; stream TTFB ${stats(r.ttfb)}${r.failures.length ? `; ${r.failures.length} failed calls (${r.failures[0]})` : ''}\n`);
    }
    process.stderr.write(`load average during the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores\n`);
    const { direct, bare: floor, llmlab, portkey: pk } = results;
    return [
      floorRow('bare pass-through proxy added latency, JSON, median (this machine\'s floor for one more hop)', floor.json, direct.json, 'median'),
      floorRow('bare pass-through proxy added latency, JSON, p99', floor.json, direct.json, 'p99'),
      floorRow('bare pass-through proxy added TTFB, stream, median', floor.ttfb, direct.ttfb, 'median'),
      floorRow('bare pass-through proxy added TTFB, stream, p99', floor.ttfb, direct.ttfb, 'p99'),
      addedRow('proxy added latency, JSON, median (100 conn)', llmlab.json, direct.json, 'median', 1),
      addedRow('proxy added latency, JSON, p99 (100 conn)', llmlab.json, direct.json, 'p99', 5),
      addedRow('proxy added TTFB, stream, median (100 conn)', llmlab.ttfb, direct.ttfb, 'median', 1),
      addedRow('proxy added TTFB, stream, p99 (100 conn)', llmlab.ttfb, direct.ttfb, 'p99', 5),
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

if (process.argv.includes('--upstream')) {
  serveUpstream();
} else if (process.argv.includes('--load')) {
  await generateLoad(JSON.parse(process.argv[process.argv.indexOf('--load') + 1]));
} else if (process.argv.includes('--bare-proxy')) {
  serveBareProxy(process.argv[process.argv.indexOf('--bare-proxy') + 1]);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run();
  console.table(rows);
}
