import { type ClientRequest, Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { UpstreamHeaders } from './headers.js';

/**
 * Keep-alive agents for every provider origin (each keeps a pool per origin), so a call reuses a
 * warm socket instead of paying a TCP (and TLS) handshake; the most recently used socket goes
 * first, so idle ones age out. node:http rather than undici: its native HTTP parser costs this
 * hop about a third less CPU per call (bench/proxy.ts measures the pass-through floor).
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }),
};
const send = { 'http:': httpRequest, 'https:': httpsRequest };

export interface UpstreamAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body, decoded when the provider compressed it despite `accept-encoding: identity`. */
  body: Readable;
  /** True when the body was decoded, so its content-length and content-encoding no longer hold; an encoding the proxy cannot decode passes through as sent. */
  decoded: boolean;
}

const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

function answerOf(res: IncomingMessage): UpstreamAnswer {
  const base = { status: res.statusCode ?? 502, statusText: res.statusMessage ?? '', headers: res.headers };
  const encoding = res.headers['content-encoding'];
  const decode = encoding ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  if (!decode) return { ...base, body: res, decoded: false };
  // pipeline destroys each side when the other fails, so an abort still reaches the socket.
  return { ...base, body: pipeline(res, decode(), () => {}), decoded: true };
}

/** A request on its way upstream: its answer, and how to call it off. */
export interface UpstreamCall {
  /** Rejects when the request cannot be sent or is aborted before the answer starts. */
  answer: Promise<UpstreamAnswer>;
  /** Destroys the request: before the answer, `answer` rejects with `reason`; after, the body ends early (an 'error' and a 'close' without 'end'). */
  abort(reason: Error): void;
}

/** A provider base URL, read once: where its calls go, and the path they start with. */
interface UpstreamOrigin {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  auth: string | undefined;
  /** The name sent for TLS SNI: the host name, or nothing for an IP address (as Node itself decides). */
  servername: string;
  basePath: string;
}

const origins = new Map<string, UpstreamOrigin>();

/** The origin of a base URL, parsed on first use (there is one per configured provider). */
function originOf(base: string): UpstreamOrigin {
  let origin = origins.get(base);
  if (origin) return origin;
  const url = new URL(base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  origin = {
    protocol: url.protocol,
    hostname,
    port: url.port ? Number(url.port) : undefined,
    auth: url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
    servername: isIP(hostname) ? '' : hostname,
    basePath: url.pathname.replace(/\/+$/, ''),
  };
  origins.set(base, origin);
  return origin;
}

/**
 * Sends one request upstream, without following redirects: to `base` (a provider base URL) plus
 * `path` (with its query), the path as the client sent it. Request options are built from the
 * parsed origin rather than from a URL per call, which costs this hop a sizeable share of its work.
 */
export function sendUpstream(base: string, path: string, method: string, headers: UpstreamHeaders, body: Uint8Array | null): UpstreamCall {
  let req: ClientRequest | undefined;
  const answer = new Promise<UpstreamAnswer>((resolve, reject) => {
    try {
      const origin = originOf(base);
      if (body) headers['content-length'] = String(body.byteLength);
      const options: RequestOptions = {
        protocol: origin.protocol,
        hostname: origin.hostname,
        port: origin.port,
        auth: origin.auth,
        servername: origin.servername,
        path: origin.basePath + path,
        method,
        headers,
        agent: agents[origin.protocol],
      };
      req = send[origin.protocol](options, (res) => {
        // Listeners come and go with the relay; this one keeps a late failure from being unhandled.
        res.on('error', () => {});
        resolve(answerOf(res));
      });
    } catch (err) {
      // A base URL Node cannot send to, or an invalid header name or value: nothing was sent.
      return reject(err);
    }
    req.on('error', reject);
    req.end(body ?? undefined);
  });
  return {
    answer,
    abort(reason) {
      req?.destroy(reason);
    },
  };
}
