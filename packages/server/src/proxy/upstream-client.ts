import { type ClientRequest, Agent as HttpAgent, type IncomingMessage, type RequestOptions, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

/** Sends one request upstream, without following redirects. */
export function sendUpstream(target: string, method: string, headers: UpstreamHeaders, body: Uint8Array | null): UpstreamCall {
  let req: ClientRequest | undefined;
  const answer = new Promise<UpstreamAnswer>((resolve, reject) => {
    const url = new URL(target);
    const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : undefined;
    if (!protocol) return reject(new Error(`unsupported protocol ${url.protocol}`));
    const options: RequestOptions = { method, headers: body ? { ...headers, 'content-length': String(body.byteLength) } : headers, agent: agents[protocol] };
    try {
      req = send[protocol](url, options, (res) => {
        // Listeners come and go with the relay; this one keeps a late failure from being unhandled.
        res.on('error', () => {});
        resolve(answerOf(res));
      });
    } catch (err) {
      // An invalid header name or value throws before anything is sent.
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
