import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { checkedFetch } from '../helpers/contract.js';
import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '../helpers/server-process.js';
import { type GatewayUpstream, startGatewayUpstream } from './gateway-upstream.js';
import type { StoredEvent } from '../helpers/stored-event.js';

export type { StoredEvent };

export interface GatewayStack {
  server: ServerProcess;
  upstream: GatewayUpstream;
  user: SignedUpUser;
  openai(options?: { headers?: Record<string, string>; apiKey?: string }): OpenAI;
  anthropic(options?: { headers?: Record<string, string>; apiKey?: string }): Anthropic;
  /** Calls the LLMLab API with the user's key; the answer is checked against /api/openapi.json. */
  api(path: string, init?: { method?: string; body?: unknown; token?: string }): Promise<Response>;
  /** Waits until the project holds `count` events (usage is written just after each response). */
  waitForEvents(count: number, query?: Record<string, string>): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export async function startGatewayStack(options: { env?: Record<string, string>; upstream?: GatewayUpstream } = {}): Promise<GatewayStack> {
  const upstream = options.upstream ?? (await startGatewayUpstream());
  const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstream.url, LLMLAB_ANTHROPIC_BASE_URL: upstream.url, ...options.env } });
  const user = await signupUser(server.baseUrl);
  return stackFor(server, upstream, user, !options.upstream);
}

export function stackFor(server: ServerProcess, upstream: GatewayUpstream, user: SignedUpUser, ownsUpstream: boolean): GatewayStack {
  const api: GatewayStack['api'] = (path, init = {}) =>
    checkedFetch(`${server.baseUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${init.token ?? user.token}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return {
    server,
    upstream,
    user,
    openai: (o = {}) =>
      new OpenAI({ apiKey: o.apiKey ?? 'sk-test-openai', baseURL: `${server.baseUrl}/proxy/openai/v1`, maxRetries: 0, defaultHeaders: { 'x-llmlab-key': user.apiKey, ...o.headers } }),
    anthropic: (o = {}) =>
      new Anthropic({ apiKey: o.apiKey ?? 'sk-ant-test', baseURL: `${server.baseUrl}/proxy/anthropic`, maxRetries: 0, defaultHeaders: { 'x-llmlab-key': user.apiKey, ...o.headers } }),
    api,
    async waitForEvents(count, query = {}) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const res = await api(`/api/events?${new URLSearchParams({ limit: '1000', ...query })}`);
        const body = (await res.json()) as { events: StoredEvent[] };
        if (body.events.length >= count || Date.now() > deadline) return body.events;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await server.stop();
      if (ownsUpstream) await upstream.close();
    },
  };
}
