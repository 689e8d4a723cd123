/**
 * SDK overhead (a benchmark, not a test): what wrapOpenAI adds to a non-streaming call against a
 * local upstream, measured against the unwrapped client in the same run; what one track() costs;
 * and whether memory stays flat over a million tracked calls with the sender draining into a
 * local sink. Run alone: `npx tsx bench/sdk-overhead.ts`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import OpenAI from 'openai';
import { LLMLab } from '../packages/sdk/src/index.js';
import { startFakeUpstream } from '../packages/sdk/test/fake-upstream.js';
import { type BenchRow, median, round } from './lib.js';

/** A local LLMLab stand-in that accepts every batch and has no budgets: where the sender drains to. */
async function startSink(): Promise<{ url: string; events: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/budgets') return res.end('{"budgets":[]}');
      received += (JSON.parse(Buffer.concat(chunks).toString()) as { events: unknown[] }).events.length;
      res.end('{"success":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events: () => received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function gcNow(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function wrapOverhead(sinkUrl: string, rounds: number): Promise<BenchRow> {
  const upstream = await startFakeUpstream();
  const llmlab = new LLMLab({ apiKey: 'llmlab_bench', baseUrl: sinkUrl, flushOnExit: false });
  const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: upstream.openaiBaseUrl, maxRetries: 0 });
  const wrapped = llmlab.wrapOpenAI(new OpenAI({ apiKey: 'sk-bench', baseURL: upstream.openaiBaseUrl, maxRetries: 0 }));
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Summarise: the quick brown fox.' }] };
  const time = async (client: OpenAI) => {
    const t0 = performance.now();
    await client.chat.completions.create(body);
    return (performance.now() - t0) * 1000;
  };
  for (let i = 0; i < 200; i++) {
    await time(raw);
    await time(wrapped);
  }
  const rawTimes: number[] = [];
  const overheads: number[] = [];
  // Back-to-back pairs in alternating order, so drift (JIT, GC, other processes on the machine)
  // hits both alike; the median of the pairwise differences is the overhead of a typical call.
  for (let i = 0; i < rounds; i++) {
    let r: number;
    let w: number;
    if (i % 2) {
      r = await time(raw);
      w = await time(wrapped);
    } else {
      w = await time(wrapped);
      r = await time(raw);
    }
    rawTimes.push(r);
    overheads.push(w - r);
  }
  await llmlab.shutdown();
  await upstream.close();
  const base = median(rawTimes);
  const overhead = median(overheads);
  return {
    name: 'wrapOpenAI overhead per non-streaming chat call (median of paired differences with the unwrapped client)',
    value: round(overhead),
    unit: 'µs',
    reference: round(base),
    ratio: round((base + overhead) / base, 3),
    target: '< 50 µs',
    pass: overhead < 50,
  };
}

async function trackCost(sinkUrl: string, calls: number, rawCallUs: number): Promise<BenchRow> {
  const llmlab = new LLMLab({ apiKey: 'llmlab_bench', baseUrl: sinkUrl, flushOnExit: false, batchSize: 1000 });
  const input = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1024, feature: 'bench' };
  for (let i = 0; i < 5000; i++) llmlab.track(input);
  await llmlab.flush();
  let spent = 0;
  for (let done = 0; done < calls; done += 1000) {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) llmlab.track(input);
    spent += performance.now() - t0;
    // Untimed: let the sender keep up, as it does between the requests of a real app.
    await new Promise((r) => setImmediate(r));
    if (llmlab.stats().pending > 5000) await llmlab.flush();
  }
  await llmlab.shutdown();
  if (llmlab.stats().dropped > 0) throw new Error('the track() benchmark overflowed the buffer; its figure would measure dropping');
  const perCall = (spent * 1000) / calls;
  return {
    name: 'track() per call (reference: one unwrapped local chat call)',
    value: round(perCall, 3),
    unit: 'µs',
    reference: round(rawCallUs),
    ratio: round(perCall / rawCallUs, 5),
    target: '< 5 µs',
    pass: perCall < 5,
  };
}

async function memoryOverMillion(sinkUrl: string, sinkEvents: () => number): Promise<BenchRow[]> {
  const llmlab = new LLMLab({ apiKey: 'llmlab_bench', baseUrl: sinkUrl, flushOnExit: false, batchSize: 1000 });
  const before = sinkEvents();
  const heapAt: Record<number, number> = {};
  const total = 1_000_000;
  for (let done = 0; done < total; done += 1000) {
    for (let i = 0; i < 1000; i++) llmlab.track({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: i, outputTokens: 1, feature: 'bench' });
    // A steady app yields to the event loop between requests; the sender drains then.
    await new Promise((r) => setImmediate(r));
    if (llmlab.stats().pending > 5000) await llmlab.flush();
    if ((done + 1000) % 100_000 === 0) {
      await llmlab.flush();
      gcNow();
      heapAt[done + 1000] = process.memoryUsage().heapUsed / 2 ** 20;
    }
  }
  await llmlab.shutdown();
  const growth = heapAt[total] - heapAt[100_000];
  const stats = llmlab.stats();
  return [
    {
      name: 'heap growth from 100k to 1M tracked calls (after GC)',
      value: round(growth),
      unit: 'MB',
      reference: round(heapAt[100_000]),
      ratio: round(heapAt[total] / heapAt[100_000], 3),
      target: '< 5 MB (flat)',
      pass: growth < 5,
    },
    {
      name: 'events delivered to the sink out of 1M tracked',
      value: sinkEvents() - before,
      unit: 'events',
      reference: total,
      ratio: round((sinkEvents() - before) / total, 4),
      target: `= ${total} (dropped ${stats.dropped})`,
      pass: sinkEvents() - before === total,
    },
  ];
}

/** Runs the SDK benchmarks and returns one row per figure. */
export async function run(): Promise<BenchRow[]> {
  const sink = await startSink();
  try {
    const overhead = await wrapOverhead(sink.url, 3000);
    const rows = [overhead, await trackCost(sink.url, 200_000, overhead.reference)];
    rows.push(...(await memoryOverMillion(sink.url, sink.events)));
    return rows;
  } finally {
    await sink.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run();
  console.table(rows);
  process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
}
