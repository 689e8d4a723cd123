import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher, request } from 'undici';
import type { UpstreamHeaders } from './headers.js';

/**
 * One keep-alive agent for every provider origin (it keeps a connection pool per origin), so a
 * call reuses a warm socket instead of paying a TCP (and TLS) handshake. undici's request API
 * is used rather than fetch: it hands back a Node Readable without fetch's web-stream layers.
 */
const agent = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 });

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

/** Sends one request upstream without following redirects; rejects when it cannot be sent or is aborted before the answer starts. */
export async function sendUpstream(target: string, method: string, headers: UpstreamHeaders, body: Uint8Array | null, signal: AbortSignal): Promise<UpstreamAnswer> {
  const res = await request(target, { method: method as Dispatcher.HttpMethod, headers, body, signal, dispatcher: agent });
  const encoding = res.headers['content-encoding'];
  const decode = typeof encoding === 'string' ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  if (!decode) return { status: res.statusCode, statusText: res.statusText, headers: res.headers, body: res.body, decoded: false };
  // pipeline destroys each side when the other fails, so an abort still reaches the socket.
  const decoded = pipeline(res.body, decode(), () => {});
  return { status: res.statusCode, statusText: res.statusText, headers: res.headers, body: decoded, decoded: true };
}
