import { Agent, get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '../helpers/server-process.js';
import { exportEvents, makeBatch, pidListeningOn, rollupCheck, rssMb, type WireEvent } from './ingest-load.js';

const MAX_INFLIGHT = 8;
const BATCH = 100;

interface Sent {
  status: number;
  ms: number;
  retryAfter: string | null;
  body: string;
}

/** Health checks keep one connection of their own, as a load balancer's probe does. */
const probe = new Agent({ keepAlive: true, maxSockets: 1 });

/** GET /health on the probe's connection (not queued behind the load's pooled connections). */
function healthStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health', agent: probe }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

describe('load shedding at twice the sustainable ingest rate', () => {
  let server: ServerProcess;
  let user: SignedUpUser;
  let n = 0;
  const now = Date.now();
  const acknowledged = new Set<string>();

  /** Batches are serialised ahead, so the client spends its time sending, not building JSON. */
  function prepare(count: number): { body: string; events: WireEvent[] }[] {
    return Array.from({ length: count }, () => {
      const events = makeBatch(`load-${n++}`, BATCH, now);
      return { body: JSON.stringify({ events }), events };
    });
  }

  async function send({ body, events }: { body: string; events: WireEvent[] }): Promise<Sent> {
    const started = performance.now();
    try {
      const res = await fetch(`${server.baseUrl}/api/events/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
        body,
      });
      const text = await res.text();
      if (res.ok) for (const e of events) acknowledged.add(e.event_id);
      return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after'), body: text };
    } catch (err) {
      return { status: 0, ms: performance.now() - started, retryAfter: null, body: String(err) };
    }
  }

  /**
   * Requests per second the server completes when it is always full: as many closed-loop clients
   * as slots, so none is refused (refusals answered at once would keep more clients busy
   * retrying than being served, and understate the rate).
   */
  async function sustainableRate(ms: number): Promise<number> {
    const batches = prepare(Math.ceil(ms / 5));
    const end = performance.now() + ms;
    let done = 0;
    await Promise.all(Array.from({ length: MAX_INFLIGHT }, async () => {
      while (performance.now() < end) {
        const next = batches.pop();
        if (!next) return;
        if ((await send(next)).status === 200) done++;
      }
    }));
    return (done * 1000) / ms;
  }

  beforeAll(async () => {
    server = await startServerProcess({ env: { LLMLAB_MAX_INFLIGHT: String(MAX_INFLIGHT) } });
    user = await signupUser(server.baseUrl);
  });
  afterAll(() => server?.stop());

  it('refuses the excess with 503 and Retry-After at once, stays up with bounded memory, and recovers', async () => {
    const pid = pidListeningOn(server.port);
    await sustainableRate(1000);
    const rate = await sustainableRate(2000);
    expect(rate).toBeGreaterThan(5);
    const rssBefore = rssMb(pid);

    // Open loop: a request every 1/(2 x rate) s whatever the answers, for 4 s; health checked meanwhile.
    const offered = Math.round(rate * 2 * 4);
    const batches = prepare(offered);
    const sent: Promise<Sent>[] = [];
    const health: number[] = [];
    const rss: number[] = [];
    let healthy = true;
    const ping = setInterval(async () => {
      const t = performance.now();
      const status = await healthStatus(server.port);
      healthy &&= status === 200;
      health.push(performance.now() - t);
      rss.push(rssMb(pid));
    }, 100);
    const started = performance.now();
    for (let i = 0; i < offered; i++) {
      const due = started + (i * 1000) / (rate * 2);
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      sent.push(send(batches[i]));
    }
    const answers = await Promise.all(sent);
    clearInterval(ping);

    const accepted = answers.filter((a) => a.status === 200);
    const shed = answers.filter((a) => a.status === 503);
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503).map((a) => `${a.status} ${a.body.slice(0, 100)}`)).toEqual([]);
    expect(shed.length).toBeGreaterThan(offered / 10);
    expect(accepted.length).toBeGreaterThan(offered / 4);
    for (const a of shed) {
      expect(a.retryAfter).toBe('1');
      expect(JSON.parse(a.body)).toEqual({ error: { code: 'unavailable', message: 'server busy; retry after 1 s' } });
    }
    // A refusal costs less than a service. Absolute latencies depend on how busy the machine's
    // cores are (the test client shares them with the server), so bounds are loose.
    expect(median(shed.map((a) => a.ms))).toBeLessThan(median(accepted.map((a) => a.ms)));
    expect(percentile(shed.map((a) => a.ms), 0.95)).toBeLessThan(5000);
    expect(healthy).toBe(true);
    expect(health.length).toBeGreaterThan(10);
    expect(Math.max(...health)).toBeLessThan(10_000);
    // The in-flight bound holds the queue, so memory does not grow with the offered load.
    expect(Math.max(...rss)).toBeLessThan(rssBefore + 150);

    // Recovery: at a gentle pace everything is accepted again.
    await new Promise((r) => setTimeout(r, 1000));
    const after: Sent[] = [];
    for (const batch of prepare(10)) after.push(await send(batch));
    expect(after.map((a) => a.status)).toEqual(Array(10).fill(200));

    const stored = await exportEvents(server.baseUrl, user.apiKey);
    expect(stored.length).toBe(acknowledged.size);
    expect(stored.every((e) => acknowledged.has(e.event_id))).toBe(true);
    expect(await rollupCheck(server.baseUrl, user.token)).toMatchObject({ consistent: true, events_counted: acknowledged.size });
  });
});
