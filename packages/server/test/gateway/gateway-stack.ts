import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { CohereClientV2 } from 'cohere-ai';
import OpenAI, { AzureOpenAI } from 'openai';
import { checkedFetch } from '../helpers/contract.js';
import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '../helpers/server-process.js';
import { type GatewayUpstream, startGatewayUpstream, type UpstreamExchange } from './gateway-upstream.js';
import type { StoredEvent } from '../helpers/stored-event.js';
import type { CompatibleHost } from './hosts/compatible.js';
import { HOST_BASE_PATHS, HOST_ROUTES } from './hosts/route-hosts.js';

export type { StoredEvent };

export interface GatewayStack {
  server: ServerProcess;
  upstream: GatewayUpstream;
  user: SignedUpUser;
  openai(options?: { headers?: Record<string, string>; apiKey?: string }): OpenAI;
  anthropic(options?: { headers?: Record<string, string>; apiKey?: string }): Anthropic;
  /** Gemini API through /proxy/google (the key goes in x-goog-api-key). */
  google(options?: { headers?: Record<string, string>; apiKey?: string }): GoogleGenAI;
  /** Azure OpenAI through /proxy/azure, on `deployment` (default prod-chat, see hosts/azure.ts; the key goes in api-key). */
  azure(options?: { headers?: Record<string, string>; apiKey?: string; deployment?: string }): AzureOpenAI;
  /** Cohere v2 through /proxy/cohere. */
  cohere(options?: { headers?: Record<string, string>; token?: string }): CohereClientV2;
  /** OpenAI's client on an OpenAI-compatible host: baseURL /proxy/<host>/v1. */
  compatible(host: CompatibleHost, options?: { headers?: Record<string, string>; apiKey?: string }): OpenAI;
  /** Calls the LLMLab API with the user's key; the answer is checked against /api/openapi.json. */
  api(path: string, init?: { method?: string; body?: unknown; token?: string }): Promise<Response>;
  /** Waits until the project holds `count` events (usage is written just after each response). */
  waitForEvents(count: number, query?: Record<string, string>): Promise<StoredEvent[]>;
  /** The upstream's last exchange. */
  lastExchange(): UpstreamExchange;
  /** A stack of a new account on the same server and upstream: a project of its own, whose keys, budgets and limits apply from its first call. */
  ownProject(): Promise<GatewayStack>;
  stop(): Promise<void>;
}

/** Waits for a condition, polling; throws when it is not met within `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** LLMLAB_<ROUTE>_BASE_URL of every provider beyond OpenAI and Anthropic, each at its path on the test upstream. */
export function hostBaseUrls(upstreamUrl: string): Record<string, string> {
  return Object.fromEntries(HOST_ROUTES.map((route) => [`LLMLAB_${route.toUpperCase()}_BASE_URL`, `${upstreamUrl}${HOST_BASE_PATHS[route]}`]));
}

export async function startGatewayStack(options: { env?: Record<string, string>; upstream?: GatewayUpstream } = {}): Promise<GatewayStack> {
  const upstream = options.upstream ?? (await startGatewayUpstream());
  const server = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: upstream.url, LLMLAB_ANTHROPIC_BASE_URL: upstream.url, ...hostBaseUrls(upstream.url), ...options.env } });
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
    google: (o = {}) =>
      new GoogleGenAI({ apiKey: o.apiKey ?? 'AIza-test-google', httpOptions: { baseUrl: `${server.baseUrl}/proxy/google`, headers: { 'x-llmlab-key': user.apiKey, ...o.headers } } }),
    azure: (o = {}) =>
      new AzureOpenAI({ endpoint: `${server.baseUrl}/proxy/azure`, apiKey: o.apiKey ?? 'azure-test-key', apiVersion: '2024-10-21', deployment: o.deployment ?? 'prod-chat', maxRetries: 0, defaultHeaders: { 'x-llmlab-key': user.apiKey, ...o.headers } }),
    cohere: (o = {}) =>
      new CohereClientV2({ token: o.token ?? 'co-test-key', environment: `${server.baseUrl}/proxy/cohere`, maxRetries: 0, headers: { 'x-llmlab-key': user.apiKey, ...o.headers } }),
    compatible: (host, o = {}) =>
      new OpenAI({ apiKey: o.apiKey ?? `${host}-test-key`, baseURL: `${server.baseUrl}/proxy/${host}/v1`, maxRetries: 0, defaultHeaders: { 'x-llmlab-key': user.apiKey, ...o.headers } }),
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
    lastExchange: () => upstream.exchanges[upstream.exchanges.length - 1],
    ownProject: async () => stackFor(server, upstream, await signupUser(server.baseUrl), false),
    async stop() {
      await server.stop();
      if (ownsUpstream) await upstream.close();
    },
  };
}
