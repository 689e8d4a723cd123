/**
 * Response cache (a benchmark, not a test): how fast the proxy answers a call from its cache.
 * A real server process on SQLite (with `npm start`'s flags), a fake OpenAI upstream in its own
 * process answering at once (`proxy-processes.ts --upstream --think-ms=0`), and one client on one
 * keep-alive connection sending calls one after another. The same temperature-0 chat call (JSON,
 * then a stream) is sent with the project's cache on, where every call after the first is a hit,
 * and with `x-llmlab-cache: false`, where it goes to the upstream: the reference, the proxy's own
 * round trip on an upstream that costs nothing. The two take turns call by call, after a warm-up,
 * so both see the same machine. A hit is recorded as an event like any proxied call.
 * Target: a hit answers in under 2 ms at the median, measured from the client.
 * Run alone: `npx tsx bench/response-cache.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { type BenchRow, median, percentile, round } from './lib.js';

const WARMUP = 1000;
const MEASURED = 3000;
const TARGET_MS = 2;

const CHAT = { model: 'gpt-4o-mini', temperature: 0, max_tokens: 100, messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Summarise the plot of Hamlet in one sentence, please.' }] };
const STREAM = { ...CHAT, stream: true, stream_options: { include_usage: true } };

/** The fake upstream of the proxy benchmark, answering without think time; resolves with its URL. */
function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const processes = fileURLToPath(new URL('./proxy-processes.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', processes, '--upstream', '--think-ms=0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening (\d+)/);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (code) => reject(new Error(`the fake upstream exited with ${code}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One call, timed from sending the request to the answer's last byte; resolves with the ms and the x-llmlab-cache header. */
function timedCall(url: string, headers: Record<string, string>, body: string): Promise<{ ms: number; cache: string | undefined }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      res.resume();
      res.once('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
        resolve({ ms: performance.now() - started, cache: res.headers['x-llmlab-cache'] as string | undefined });
      });
    });
    req.once('error', reject);
    req.end(body);
  });
}

export async function run(): Promise<BenchRow[]> {
  const upstream = await startUpstream();
  const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstream.url, LLMLAB_LOG_LEVEL: 'error' } }).catch((err: unknown) => {
    upstream.child.kill();
    throw err;
  });
  try {
    const user = await signupUser(server.baseUrl);
    const settings = await fetch(`${server.baseUrl}/api/gateway/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cache: { enabled: true, ttl_seconds: 3600 } }),
    });
    if (settings.status !== 200) throw new Error(`enabling the cache failed: ${settings.status}`);
    const url = `${server.baseUrl}/proxy/openai/v1/chat/completions`;
    const headers = { authorization: 'Bearer sk-bench', 'x-llmlab-key': user.apiKey, 'x-llmlab-feature': 'bench' };
    const uncached = { ...headers, 'x-llmlab-cache': 'false' };
    const rows: BenchRow[] = [];
    for (const [kind, body] of [['JSON', JSON.stringify(CHAT)], ['stream', JSON.stringify(STREAM)]] as const) {
      // The first call stores the answer; wait until the cache serves it.
      for (let i = 0; (await timedCall(url, headers, body)).cache !== 'HIT'; i++) {
        if (i > 100) throw new Error(`the ${kind} answer was never served from the cache`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const hits: number[] = [];
      const misses: number[] = [];
      for (let i = 0; i < WARMUP + MEASURED; i++) {
        const hit = await timedCall(url, headers, body);
        const miss = await timedCall(url, uncached, body);
        if (hit.cache !== 'HIT') throw new Error(`expected a hit, got ${hit.cache}`);
        if (i < WARMUP) continue;
        hits.push(hit.ms);
        misses.push(miss.ms);
      }
      process.stderr.write(`${kind}: hit median ${round(median(hits), 3)} ms p99 ${round(percentile(hits, 99), 3)} ms; uncached median ${round(median(misses), 3)} ms p99 ${round(percentile(misses, 99), 3)} ms\n`);
      const value = round(median(hits), 3);
      const reference = round(median(misses), 3);
      rows.push({
        name: `response cache hit through the proxy, ${kind}, median (reference: the same call uncached, to an upstream that answers at once, ms)`,
        value,
        unit: 'ms',
        reference,
        ratio: round(value / reference, 3),
        target: `< ${TARGET_MS} ms`,
        pass: value < TARGET_MS,
      });
    }
    return rows;
  } finally {
    agent.destroy();
    await server.stop();
    upstream.child.kill();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run();
  console.table(rows);
}
