/**
 * Clients tracking events one after another, each sending its next event only once its last was
 * acknowledged, so that a database as of any one commit holds, of each client, its events from
 * the first up to some number (see `clientRuns`).
 */
export interface TrackLoad {
  /** The event_ids acknowledged so far. */
  snapshot(): Set<string>;
  /** Resolves once `count` events are acknowledged. */
  reached(count: number): Promise<void>;
  stop(): Promise<{ acknowledged: Set<string>; sent: Set<string> }>;
}

export function startTrackLoad(baseUrl: string, apiKey: string, clients: number): TrackLoad {
  const acknowledged = new Set<string>();
  const sent = new Set<string>();
  let stopped = false;
  let waiters: { count: number; done: () => void }[] = [];
  const client = async (c: number) => {
    for (let n = 0; !stopped; n++) {
      const eventId = `c${c}-${n}`;
      sent.add(eventId);
      const res = await fetch(`${baseUrl}/api/events/track`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000 + n, output_tokens: 100, feature: `f${n % 3}`, event_id: eventId }),
      });
      if (res.status !== 201) throw new Error(`track ${res.status}: ${await res.text()}`);
      acknowledged.add(((await res.json()) as { event_id: string }).event_id);
      for (const w of waiters.filter((w) => acknowledged.size >= w.count)) w.done();
      waiters = waiters.filter((w) => acknowledged.size < w.count);
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return {
    snapshot: () => new Set(acknowledged),
    reached: (count) => new Promise<void>((done) => (acknowledged.size >= count ? done() : waiters.push({ count, done }))),
    async stop() {
      stopped = true;
      await running;
      return { acknowledged, sent };
    },
  };
}

/** The numbers of each client's events among `eventIds`, ascending: `{ c0: [0, 1, 2], ... }`. */
export function clientRuns(eventIds: Iterable<string>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const id of eventIds) {
    const [c, n] = id.split('-');
    out[c] = [...(out[c] ?? []), Number(n)];
  }
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return out;
}
