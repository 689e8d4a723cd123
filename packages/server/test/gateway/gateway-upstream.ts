/**
 * The upstream for gateway tests: the SDK's fake OpenAI and Anthropic formats (JSON and SSE as
 * their API references document them, reused from packages/sdk/test) served by a server that
 * also records every byte it answers, paces streams, hangs, fails on request, and notices when
 * the caller hangs up. Tests steer it with request headers the proxy forwards:
 * `x-fake-usage` (JSON, FakeUsageHeader: any counts of any provider's group), `x-fake-no-usage`
 * (answer as a provider that reports no usage, ignoring include_usage: OpenAI and the compatible hosts), `x-fake-event-delay-ms` (pause between SSE events),
 * `x-fake-delay-ms` (wait before answering), `x-fake-hang` (never answer), `x-fake-fail` (JSON `{status, body}`),
 * `x-fake-service-tier` (the tier the answer names; OpenAI's answers otherwise echo a flex or priority request).
 * Google, Azure, Cohere and the OpenAI-compatible hosts answer under their own path prefixes
 * (hosts/route-hosts.ts: HOST_BASE_PATHS), in their documented formats.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { anthropicMessage, anthropicStream } from '../../../sdk/test/fake-anthropic.js';
import { chatCompletion, chatStream, embeddingList, responseObject, responsesStream } from '../../../sdk/test/fake-openai.js';
import { type FakeAnswer, type FakeContext, routeWithoutUsage } from '../../../sdk/test/fake-upstream.js';
import { DEFAULT_GATEWAY_USAGE, type FakeUsageHeader, type HostAnswer, type HostContext, mergeUsage } from './hosts/host-context.js';
import { answerHost, hostNotFound, hostOfPath } from './hosts/route-hosts.js';

export interface UpstreamExchange {
  method: string;
  path: string;
  /** The request target as received: path and query. */
  target: string;
  headers: IncomingMessage['headers'];
  /** The request body exactly as received. */
  rawBody: string;
  /** Every byte written back, in order. */
  response: Buffer;
  /** The caller closed the connection before the answer was complete. */
  aborted: boolean;
  finished: boolean;
}

export interface GatewayUpstream {
  url: string;
  exchanges: UpstreamExchange[];
  /** Open TCP connections right now. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

const SNAPSHOTS: Record<string, string> = { 'gpt-4o': 'gpt-4o-2024-08-06', 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18' };

function route(path: string, body: Record<string, unknown>, ctx: FakeContext): FakeAnswer | null {
  const stream = body.stream === true;
  if (path === '/v1/chat/completions') return stream ? { sse: chatStream(body, ctx) } : { json: chatCompletion(body, ctx) };
  if (path === '/v1/responses') return stream ? { sse: responsesStream(body, ctx) } : { json: responseObject(body, ctx, 'completed') };
  if (path === '/v1/embeddings') return { json: embeddingList(body, ctx) };
  // Moderations are free and their answer has no usage block (OpenAI's API reference).
  if (path === '/v1/moderations') return { json: { id: ctx.id('modr-'), model: 'omni-moderation-latest', results: [{ flagged: false, categories: {}, category_scores: {} }] } };
  if (path === '/v1/messages') return stream ? { sse: anthropicStream(body, ctx) } : { json: anthropicMessage(body, ctx) };
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startGatewayUpstream(): Promise<GatewayUpstream> {
  const exchanges: UpstreamExchange[] = [];
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const [path, query = ''] = (req.url ?? '/').split('?');
    const exchange: UpstreamExchange = { method: req.method ?? 'GET', path, target: req.url ?? '/', headers: req.headers, rawBody, response: Buffer.alloc(0), aborted: false, finished: false };
    exchanges.push(exchange);
    const sent: Buffer[] = [];
    const write = (data: string | Buffer) => {
      const b = Buffer.from(data);
      sent.push(b);
      exchange.response = Buffer.concat(sent);
      return res.write(b);
    };
    res.on('close', () => {
      if (!res.writableFinished) exchange.aborted = true;
    });
    if (req.headers['x-fake-hang']) return;
    const wait = Number(req.headers['x-fake-delay-ms'] ?? 0);
    if (wait) await sleep(wait);
    const id = `req_${randomBytes(8).toString('hex')}`;
    const fail = req.headers['x-fake-fail'];
    if (typeof fail === 'string') {
      const f = JSON.parse(fail) as { status: number; body: unknown };
      res.writeHead(f.status, { 'content-type': 'application/json', 'x-request-id': id });
      write(JSON.stringify(f.body));
      res.end(() => (exchange.finished = true));
      return;
    }
    let body: Record<string, unknown> | null = null;
    try {
      body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    const usageHeader = req.headers['x-fake-usage'];
    const ctx: HostContext = {
      id: (prefix) => `${prefix}${randomBytes(12).toString('hex')}`,
      model: (m) => (typeof m === 'string' ? (SNAPSHOTS[m] ?? m) : 'unknown'),
      usage: typeof usageHeader === 'string' ? mergeUsage(DEFAULT_GATEWAY_USAGE, JSON.parse(usageHeader) as FakeUsageHeader) : DEFAULT_GATEWAY_USAGE,
      noUsage: req.headers['x-fake-no-usage'] !== undefined,
      serviceTier: typeof req.headers['x-fake-service-tier'] === 'string' ? req.headers['x-fake-service-tier'] : undefined,
    };
    const method = req.method ?? 'GET';
    const host = hostOfPath(path);
    const answerOf = ctx.noUsage ? routeWithoutUsage.bind(null, route) : route;
    let result: HostAnswer | null = null;
    if (host) result = answerHost(host.route, method, host.path, new URLSearchParams(query), body ?? {}, ctx);
    else if (method === 'POST' && body) result = answerOf(path, body, ctx);
    if (!result) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': id });
      write(JSON.stringify(host ? hostNotFound(host.route, method, host.path) : { error: { message: `Unknown request URL: ${method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } }));
      res.end(() => (exchange.finished = true));
      return;
    }
    if ('json' in result) {
      const text = JSON.stringify(result.json);
      // x-fake-encoding: gzip compresses the answer (as a provider may, whatever accept-encoding
      // said); any other value labels the bytes with that encoding and sends them reversed.
      const encoding = req.headers['x-fake-encoding'];
      const bytes = encoding === 'gzip' ? gzipSync(text) : encoding ? Buffer.from(text).reverse() : Buffer.from(text);
      res.writeHead(result.status ?? 200, { 'content-type': 'application/json', 'content-length': bytes.byteLength, 'x-request-id': id, 'request-id': id, ...(typeof encoding === 'string' ? { 'content-encoding': encoding } : {}) });
      write(bytes);
      res.end(() => (exchange.finished = true));
      return;
    }
    const delay = Number(req.headers['x-fake-event-delay-ms'] ?? 0);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': id, 'request-id': id });
    const end = result.crlf ? '\r\n\r\n' : '\n\n';
    for (const event of result.sse) {
      if (res.destroyed) return;
      if ('comment' in event) {
        write(`: ${event.comment}${end}`);
        continue;
      }
      const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
      write(`${event.event ? `event: ${event.event}\n` : ''}data: ${data}${end}`);
      if (delay) await sleep(delay);
    }
    res.end(() => (exchange.finished = true));
  };
  const server = createServer((req, res) => {
    answer(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(err), type: 'server_error' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    exchanges,
    connections: () => new Promise((r, j) => server.getConnections((err, n) => (err ? j(err) : r(n)))),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
