import { Agent, get, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '../helpers/server-process.js';
import { exportEvents, makeBatch, rollupCheck, type WireEvent } from './ingest-load.js';

// No verdict here depends on how fast the machine is: slots are held open deterministically to
// prove shedding, and the open-loop burst is paced from a rate measured in the same test and
// judged only by what must hold at any speed (every answer 200 or 503, nothing lost or doubled).

const MAX_INFLIGHT = 8;
const BATCH = 100;
const BUSY_BODY = { error: { code: 'unavailable', message: 'server busy; retry after 1 s' } };

interface Sent {
  status: number;
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

/** A project's ingest as its client sees it: what it sent, and every event a 200 acknowledged with its cost. */
function ingestClient(server: ServerProcess, user: SignedUpUser, name: string) {
  const now = Date.now();
  const acknowledged = new Map<string, number | null>();
  let n = 0;

  /** Batches are serialised ahead, so the client spends its time sending, not building JSON. */
  function prepare(count: number, size = BATCH): { body: string; events: WireEvent[] }[] {
    return Array.from({ length: count }, () => {
      const events = makeBatch(`${name}-${n++}`, size, now);
      return { body: JSON.stringify({ events }), events };
    });
  }

  function note(status: number, text: string): void {
    if (status !== 200) return;
    for (const e of (JSON.parse(text) as { events: { event_id: string; cost_nanos: number | null }[] }).events) acknowledged.set(e.event_id, e.cost_nanos);
  }

  async function send({ body }: { body: string }): Promise<Sent> {
    try {
      const res = await fetch(`${server.baseUrl}/api/events/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
        body,
      });
      const text = await res.text();
      note(res.status, text);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text };
    } catch (err) {
      return { status: 0, retryAfter: null, body: String(err) };
    }
  }

  /**
   * A batch whose headers go now and whose body goes on finish(): the server takes a slot for it
   * on the headers and keeps it while it waits for the body (or answers at once when refused).
   */
  function hold({ body }: { body: string }): { answer: Promise<Sent>; finish(): void; abandon(): void } {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/api/events/batch',
      agent: false,
      headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const answer = new Promise<Sent>((resolve) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          note(res.statusCode ?? 0, text);
          resolve({ status: res.statusCode ?? 0, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, body: text });
        });
      });
      req.on('error', (err) => resolve({ status: 0, retryAfter: null, body: String(err) }));
    });
    req.flushHeaders();
    return { answer, finish: () => req.end(body), abandon: () => req.destroy() };
  }

  /** What a user would check afterwards: every acknowledged event stored once, and counted in the summary and rollups. */
  async function expectStoredExactlyOnce(): Promise<void> {
    const stored = await exportEvents(server.baseUrl, user.apiKey);
    const ids = stored.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !acknowledged.has(id))).toEqual([]);
    expect(stored.length).toBe(acknowledged.size);
    const res = await fetch(`${server.baseUrl}/api/costs/summary?days=30`, { headers: { authorization: `Bearer ${user.apiKey}` } });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { calls: number; total_spend_nanos: number };
    expect(summary.calls).toBe(acknowledged.size);
    expect(summary.total_spend_nanos).toBe([...acknowledged.values()].reduce<number>((sum, c) => sum + (c ?? 0), 0));
    expect(await rollupCheck(server.baseUrl, user.token)).toMatchObject({ consistent: true, events_counted: acknowledged.size });
  }

  return { acknowledged, prepare, send, hold, expectStoredExactlyOnce };
}

function expectRefusal(a: Sent): void {
  expect(a.status).toBe(503);
  expect(a.retryAfter).toBe('1');
  expect(JSON.parse(a.body)).toEqual(BUSY_BODY);
}

describe('load shedding', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess({ env: { LLMLAB_MAX_INFLIGHT: String(MAX_INFLIGHT) } });
  });
  afterAll(() => server?.stop());

  it('with every slot taken, refuses further ingest with 503 and Retry-After before reading its body, keeps serving health and reads, and then accepts again', async () => {
    const user = await signupUser(server.baseUrl);
    const client = ingestClient(server, user, 'held');
    const held = client.prepare(MAX_INFLIGHT).map((b) => client.hold(b));
    try {
      // The slots are taken once the server has seen the held requests' headers: one-event probes go
      // until one is refused (a probe that finds a slot free is served and counted like any batch).
      let probes = 0;
      for (;;) {
        const p = await client.send(client.prepare(1, 1)[0]);
        if (p.status === 503) break;
        expect(p.status).toBe(200);
        expect(++probes, `no refusal while ${MAX_INFLIGHT} requests hold every slot`).toBeLessThan(200);
      }

      const burst = await Promise.all(client.prepare(40).map((b) => client.send(b)));
      burst.forEach(expectRefusal);
      // A request whose body never comes is refused all the same: a refusal reads no body, so nothing queues.
      const bodiless = client.prepare(MAX_INFLIGHT).map((b) => client.hold(b));
      const refusedUnread = await Promise.all(bodiless.map((b) => b.answer));
      for (const b of bodiless) b.abandon();
      refusedUnread.forEach(expectRefusal);

      expect(await healthStatus(server.port)).toBe(200);
      const read = await fetch(`${server.baseUrl}/api/costs/summary`, { headers: { authorization: `Bearer ${user.apiKey}` } });
      expect(read.status).toBe(200);
    } finally {
      // Released on every path, so a failure above does not leave the server waiting for their bodies.
      for (const h of held) h.finish();
    }
    expect((await Promise.all(held.map((h) => h.answer))).map((a) => a.status)).toEqual(Array(MAX_INFLIGHT).fill(200));
    const after = [];
    for (const batch of client.prepare(3)) after.push((await client.send(batch)).status);
    expect(after).toEqual([200, 200, 200]);

    expect(client.acknowledged.size).toBeGreaterThanOrEqual((MAX_INFLIGHT + 3) * BATCH);
    await client.expectStoredExactlyOnce();
  });

  it('under an open-loop burst at twice the rate it just sustained, answers every request 200 or 503, loses and doubles nothing, and recovers', async () => {
    const user = await signupUser(server.baseUrl);
    const client = ingestClient(server, user, 'load');

    /**
     * Requests per second the server completes when it is always full: as many closed-loop clients
     * as slots, so none is refused (refusals answered at once would keep more clients busy
     * retrying than being served, and understate the rate).
     */
    async function sustainableRate(ms: number): Promise<number> {
      const batches = client.prepare(Math.ceil(ms / 5));
      const end = performance.now() + ms;
      let done = 0;
      await Promise.all(
        Array.from({ length: MAX_INFLIGHT }, async () => {
          while (performance.now() < end) {
            const next = batches.pop();
            if (!next) return;
            const a = await client.send(next);
            expect(a.status).toBe(200);
            done++;
          }
        }),
      );
      return (done * 1000) / ms;
    }

    await sustainableRate(1000);
    const rate = await sustainableRate(2000);
    expect(rate).toBeGreaterThan(0);

    // Open loop: a request every 1/(2 x rate) s whatever the answers, for 4 s; health checked halfway.
    const offered = Math.max(MAX_INFLIGHT * 2, Math.round(rate * 2 * 4));
    const batches = client.prepare(offered);
    const sent: Promise<Sent>[] = [];
    let healthDuring: Promise<number> = Promise.resolve(0);
    const started = performance.now();
    for (let i = 0; i < offered; i++) {
      const due = started + (i * 1000) / (rate * 2);
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      sent.push(client.send(batches[i]));
      if (i === Math.floor(offered / 2)) healthDuring = healthStatus(server.port);
    }
    const answers = await Promise.all(sent);

    expect(answers.filter((a) => a.status !== 200 && a.status !== 503).map((a) => `${a.status} ${a.body.slice(0, 100)}`)).toEqual([]);
    answers.filter((a) => a.status === 503).forEach(expectRefusal);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(await healthDuring).toBe(200);
    expect(await healthStatus(server.port)).toBe(200);

    // Every answer is in, so no slot is held: sent one at a time, every batch is accepted again.
    const after: number[] = [];
    for (const batch of client.prepare(10)) after.push((await client.send(batch)).status);
    expect(after).toEqual(Array(10).fill(200));

    await client.expectStoredExactlyOnce();
  }, 120_000);
});
