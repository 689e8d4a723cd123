import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { STATUS_OF } from '../http/errors.js';
import type { Admission } from '../http/admission.js';
import { MAX_PROXY_BODY_BYTES, proxyCall } from './forward.js';
import { BodyTooLarge, type ProxyRequest } from './proxy-call.js';
import type { Gateway } from './gateway.js';
import { NodeRequestHeaders } from './headers.js';
import { PROVIDERS, type ProviderSpec } from './providers.js';

/** Answers a Node request itself (true), or leaves it to the rest of the server (false). */
export type NodeEntry = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The whole body, in one buffer of its own; past the limit it stops keeping chunks and rejects (the rest is discarded). */
function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_PROXY_BODY_BYTES) return;
      size += chunk.byteLength;
      if (size <= MAX_PROXY_BODY_BYTES) return void chunks.push(chunk);
      chunks = [];
      reject(new BodyTooLarge());
    });
    req.once('end', () => {
      if (size > MAX_PROXY_BODY_BYTES) return;
      const body = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        body.set(chunk, at);
        at += chunk.byteLength;
      }
      resolve(body);
    });
    req.once('error', reject);
  });
}

/** A gateway answer that was not written directly (an error of the gateway's own, a body-less status) goes out here. */
async function writeAnswer(res: ServerResponse, answer: Response): Promise<void> {
  if (answer === RESPONSE_ALREADY_SENT || res.headersSent) return;
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  const body = answer.body ? Buffer.from(await answer.arrayBuffer()) : undefined;
  if (answer.statusText) res.writeHead(answer.status, answer.statusText, headers);
  else res.writeHead(answer.status, headers);
  res.end(body);
}

/** A Node request as the gateway reads it. */
class NodeProxyRequest implements ProxyRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: NodeRequestHeaders;

  constructor(
    private readonly req: IncomingMessage,
    readonly outgoing: ServerResponse,
  ) {
    this.method = req.method ?? 'GET';
    this.path = req.url ?? '/';
    this.headers = new NodeRequestHeaders(req.headers);
  }

  body(): Promise<Uint8Array<ArrayBuffer>> {
    return readBody(this.req);
  }
}

/** One proxied call from the Node server, holding its admission slot until it is answered. */
async function serveProxied(gw: Gateway, spec: ProviderSpec, gate: Admission, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await writeAnswer(res, await proxyCall(gw, spec, new NodeProxyRequest(req, res)));
  } catch (err) {
    gw.ctx.log.error('proxy answer could not be written', { error: String((err as Error)?.stack ?? err) });
    res.destroy();
  } finally {
    gate.leave();
  }
}

/**
 * The real server's way into the gateway: /proxy/<provider>/* go from
 * node:http straight to the gateway, without a web Request, routing or middleware between the
 * client's socket and the provider's. The same admission gate as the rest of the API applies.
 * Hono still serves these paths for in-process use (app.request), through the same proxyCall.
 */
export function gatewayNodeEntry(gw: Gateway, gate: Admission): NodeEntry {
  const routes = new Map<string, ProviderSpec>(Object.values(PROVIDERS).map((spec) => [spec.name, spec]));
  return (req, res) => {
    const path = req.url;
    if (!path?.startsWith('/proxy/')) return false;
    const end = path.indexOf('/', '/proxy/'.length);
    const spec = end === -1 ? undefined : routes.get(path.slice('/proxy/'.length, end));
    if (!spec) return false;
    if (!gate.enter()) {
      res.writeHead(STATUS_OF.unavailable, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify(gate.busyBody));
      return true;
    }
    void serveProxied(gw, spec, gate, req, res);
    return true;
  };
}
