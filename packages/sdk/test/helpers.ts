import { priceUsage } from '@llmlab/core';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { LLMLab, type LLMLabOptions } from '../src/index.js';
import { type FakeUpstream, startFakeUpstream } from './fake-upstream.js';
import type { StoredEvent } from '@llmlab/server/testing';

export type { StoredEvent };

export type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;
export type User = Awaited<ReturnType<typeof signupUser>>;

/** One account's project: SDK clients that record into it, and its stored events. */
export interface Project {
  user: User;
  /** An SDK client for this project that logs into the stack's `logs`. */
  client(options?: LLMLabOptions): LLMLab;
  events(query?: Record<string, string>): Promise<StoredEvent[]>;
}

export interface Stack extends Project {
  server: ServerProcess;
  upstream: FakeUpstream;
  logs: string[];
  /** A new account with its own empty project, for totals (summary, unpriced calls) no other test adds to. */
  isolated(): Promise<Project>;
  stop(): Promise<void>;
}

/** A real LLMLab server process with a fresh account, and the fake OpenAI/Anthropic upstream. */
export async function startStack(): Promise<Stack> {
  const [server, upstream] = await Promise.all([startServerProcess(), startFakeUpstream()]);
  const user = await signupUser(server.baseUrl);
  const logs: string[] = [];
  const clients: LLMLab[] = [];
  const projectOf = (owner: User): Project => ({
    user: owner,
    client(options = {}) {
      const c = new LLMLab({
        apiKey: owner.apiKey,
        baseUrl: server.baseUrl,
        flushOnExit: false,
        retryBaseMs: 20,
        retryMaxMs: 200,
        logger: { warn: (m) => logs.push(m) },
        ...options,
      });
      clients.push(c);
      return c;
    },
    events: (query = {}) => listEvents(server.baseUrl, owner.apiKey, query),
  });
  return {
    ...projectOf(user),
    server,
    upstream,
    logs,
    isolated: async () => projectOf(await signupUser(server.baseUrl)),
    async stop() {
      await Promise.all(clients.map((c) => c.shutdown(1000)));
      await Promise.all([server.stop(), upstream.close()]);
    },
  };
}

export async function api<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Every event of the project matching the filters, newest first, all pages. */
export async function listEvents(baseUrl: string, apiKey: string, query: Record<string, string> = {}): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ ...query, limit: '500', ...(cursor ? { cursor } : {}) });
    const page: { events: StoredEvent[]; next_cursor: string | null } = await api(baseUrl, apiKey, 'GET', `/api/events?${qs}`);
    out.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

/** What LLMLab's price book says the event should cost, in nanodollars. */
export function expectedCostNanos(e: StoredEvent): number | null {
  return priceUsage({
    provider: e.provider,
    model: e.model,
    ts: e.ts,
    usage: {
      input_tokens: e.input_tokens,
      output_tokens: e.output_tokens,
      cached_input_tokens: e.cached_input_tokens,
      cache_write_tokens: e.cache_write_tokens,
      reasoning_tokens: e.reasoning_tokens,
    },
    serviceTier: e.service_tier,
  }).cost_nanos;
}

/** Polls until `check` returns a value that is not undefined. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
