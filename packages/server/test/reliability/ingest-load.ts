/**
 * Ingest load for reliability tests: clients sending batches with their own event_ids to one or
 * more servers, retrying a failed batch as the SDK does, and remembering every event a 2xx
 * acknowledged with the cost it was acknowledged at.
 */
import type { StoredEvent } from '../helpers/stored-event.js';

export type { StoredEvent };

const HOUR_MS = 3_600_000;
const MODELS = [['openai', 'gpt-4o'], ['openai', 'gpt-4o-mini'], ['anthropic', 'claude-3-haiku'], ['openai', 'unpriced-model-x']] as const;
const FEATURES = ['chat', 'search', undefined] as const;

export interface WireEvent {
  event_id: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  timestamp: number;
  feature?: string;
  status?: 'error';
  latency_ms: number;
}

/** A batch whose content depends only on its name, so a retry sends exactly the same events. */
export function makeBatch(name: string, size: number, now: number): WireEvent[] {
  let seed = [...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  return Array.from({ length: size }, (_, i) => {
    const [provider, model] = MODELS[next(MODELS.length)];
    const feature = FEATURES[next(FEATURES.length)];
    return {
      event_id: `${name}-${i}`,
      provider,
      model,
      input_tokens: 100 + next(5000),
      output_tokens: next(800),
      timestamp: now - next(36) * HOUR_MS - next(HOUR_MS),
      ...(feature ? { feature } : {}),
      ...(next(10) === 0 ? { status: 'error' as const } : {}),
      latency_ms: next(3000),
    };
  });
}

export interface LoadResult {
  /** event_id -> cost_nanos as acknowledged (null when unpriced). */
  acknowledged: Map<string, number | null>;
  sent: Set<string>;
  /** HTTP status (0 for a connection error) -> count. */
  statuses: Record<number, number>;
}

export interface IngestLoad {
  stop(): Promise<LoadResult>;
}

/** Starts `clients` loops posting batches to the servers in turn until stopped. */
export function startIngestLoad(o: { baseUrls: string[]; apiKey: string; clients: number; batchSize: number; name: string }): IngestLoad {
  const result: LoadResult = { acknowledged: new Map(), sent: new Set(), statuses: {} };
  let stopped = false;
  const now = Date.now();
  const client = async (c: number) => {
    for (let n = 0; !stopped; n++) {
      const batch = makeBatch(`${o.name}-c${c}-b${n}`, o.batchSize, now);
      for (const e of batch) result.sent.add(e.event_id);
      for (let attempt = 0; !stopped || attempt === 0; attempt++) {
        const url = o.baseUrls[(c + n + attempt) % o.baseUrls.length];
        const status = await post(url, o.apiKey, batch, result);
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const running = Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  return {
    async stop() {
      stopped = true;
      await running;
      return result;
    },
  };
}

async function post(baseUrl: string, apiKey: string, events: WireEvent[], result: LoadResult): Promise<number> {
  try {
    const res = await fetch(`${baseUrl}/api/events/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      await res.arrayBuffer();
      return res.status;
    }
    const body = (await res.json()) as { events: { event_id: string; cost_nanos: number | null }[] };
    for (const e of body.events) result.acknowledged.set(e.event_id, e.cost_nanos);
    return res.status;
  } catch {
    return 0;
  }
}

/** Every event of the key's project, through the export a user would run. */
export async function exportEvents(baseUrl: string, apiKey: string): Promise<StoredEvent[]> {
  const res = await fetch(`${baseUrl}/api/export?format=json`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!res.ok) throw new Error(`export ${res.status}: ${await res.text()}`);
  return (await res.json()) as StoredEvent[];
}

export interface RollupCheckAnswer {
  consistent: boolean;
  events_counted: number;
  difference_count: number;
  differences: unknown[];
}

export async function rollupCheck(baseUrl: string, token: string): Promise<RollupCheckAnswer> {
  const res = await fetch(`${baseUrl}/api/admin/rollup-check`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`rollup check ${res.status}: ${await res.text()}`);
  return (await res.json()) as RollupCheckAnswer;
}
