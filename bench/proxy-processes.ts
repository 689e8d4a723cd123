/**
 * The processes the proxy benchmark (`bench/proxy.ts`) spawns besides the servers it measures:
 * the fake upstream (OpenAI chat completions and Gemini streams), the bare pass-through proxy (the
 * floor) and the load generator. Each runs as
 * `node --import tsx bench/proxy-processes.ts --upstream | --bare-proxy <url> | --load <targets>`.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The upstream's think time before it answers (and before a stream's first event). A short real
 * chat completion takes 0.5-2 s; 500 ms at 100 connections offers ~200 calls/s. `--think-ms=N`
 * changes it: at 50 ms (2,000 calls/s) one LLMLab process is CPU-bound on this 2-core machine,
 * which shares its cores with the upstream and the load generator (see README).
 */
export const THINK_MS = Number(process.argv.find((a) => a.startsWith('--think-ms='))?.slice('--think-ms='.length) ?? 500);
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

const CHAT = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Summarise the plot of Hamlet in one sentence, please.' }] });
const STREAM = JSON.stringify({ ...JSON.parse(CHAT), stream: true, stream_options: { include_usage: true } });
/** A Gemini `:streamGenerateContent?alt=sse` body: the model is in the path, not the body. */
const GEMINI_STREAM = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Summarise the plot of Hamlet in one sentence, please.' }] }], generationConfig: { maxOutputTokens: 100 } });
/** The streamed answer, one word a chunk, for both formats. */
const WORDS = ['A', ' prince', ' avenges', ' his', ' father.'];

/**
 * A Gemini stream's events (https://ai.google.dev/api/generate-content): each a whole
 * GenerateContentResponse as `data: <json>\r\n\r\n`, no event names, no [DONE]. Every chunk carries
 * the usage so far (the candidates count growing), the last one `finishReason` and the final counts;
 * proto3 JSON leaves out a count that is zero (no thinking here, so no thoughtsTokenCount).
 */
function geminiChunk(i: number): string {
  const last = i === WORDS.length - 1;
  const candidates = Math.floor((20 * (i + 1)) / WORDS.length);
  const usageMetadata = { promptTokenCount: 30, candidatesTokenCount: candidates, totalTokenCount: 30 + candidates, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 30 }] };
  const candidate = { content: { role: 'model', parts: [{ text: WORDS[i] }] }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 };
  return `data: ${JSON.stringify({ candidates: [candidate], usageMetadata, modelVersion: 'gemini-2.5-flash', responseId: 'resp-bench' })}\r\n\r\n`;
}

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
      const gemini = req.url?.includes(':streamGenerateContent') ?? false;
      setTimeout(() => {
        if (gemini) {
          // The same think time before the first event and the same pacing after it as the OpenAI stream.
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          let i = 0;
          const next = () => {
            res.write(geminiChunk(i++));
            if (i < WORDS.length) setTimeout(next, 2);
            else res.end();
          };
          next();
          return;
        }
        if (!stream) {
          const text = JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, message: { role: 'assistant', content: 'A prince avenges his father.' }, finish_reason: 'stop' }], usage });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
        let i = 0;
        const next = () => {
          if (i < WORDS.length) {
            res.write(chunk([{ index: 0, delta: { content: WORDS[i++] }, finish_reason: null }]));
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


export interface Target {
  name: string;
  /** OpenAI: the chat completions URL. Gemini: the `:streamGenerateContent?alt=sse` URL. */
  url: string;
  headers: Record<string, string>;
  /** The API the target speaks: OpenAI chat completions, JSON and streams (the default), or Gemini, streams only. */
  api?: 'openai' | 'gemini';
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
      const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.headers } }, (res) => {
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


export interface Measured {
  json: number[];
  ttfb: number[];
  failures: string[];
  /** Calls answered 200, warm-up included: what a recording proxy should have stored. */
  answered: number;
}


/**
 * The load generator's whole run (in its own process, see the header): warm-up, then the
 * measured slices with the targets taking turns. Prints `results <json>` when done.
 */
async function generateLoad(targets: Target[]): Promise<void> {
  const results: Record<string, Measured> = Object.fromEntries(targets.map((t) => [t.name, { json: [], ttfb: [], failures: [], answered: 0 }]));
  // A Gemini target is measured on streams only; an OpenAI one on JSON and streams.
  const json = (t: Target, count: number) => (t.api === 'gemini' ? Promise.resolve({ ttfb: [], total: [], failures: [] }) : load(t, CHAT, count));
  const stream = (t: Target, count: number) => load(t, t.api === 'gemini' ? GEMINI_STREAM : STREAM, count);
  for (const t of targets) {
    const warm = [await json(t, WARMUP_PER_CONNECTION), await stream(t, WARMUP_PER_CONNECTION)];
    results[t.name].answered += warm[0].total.length + warm[1].total.length;
  }
  // The targets take turns in short slices, so a change in the machine's load during the run
  // (other processes, a noisy neighbour) falls on all of them alike instead of on one phase.
  for (let slice = 0; slice < SLICES; slice++) {
    for (const t of targets) {
      const j = await json(t, PER_CONNECTION / SLICES);
      const s = await stream(t, PER_CONNECTION / SLICES);
      const r = results[t.name];
      r.json.push(...j.total);
      r.ttfb.push(...s.ttfb);
      r.failures.push(...j.failures, ...s.failures);
      r.answered += j.total.length + s.total.length;
    }
  }
  process.stdout.write(`results ${JSON.stringify(results)}\n`);
}

const role = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] ? process.argv : [];
if (role.includes('--upstream')) {
  serveUpstream();
} else if (role.includes('--load')) {
  await generateLoad(JSON.parse(process.argv[process.argv.indexOf('--load') + 1]));
} else if (role.includes('--bare-proxy')) {
  serveBareProxy(process.argv[process.argv.indexOf('--bare-proxy') + 1]);
}
