import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 7.6.1) and the ones the HTTP client sets itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);

/** Request headers for the provider, lower-case names, as node:http takes them. */
export type UpstreamHeaders = Record<string, string>;

/** The client's request headers, read by lower-case name: web Headers, or a Node request's (NodeRequestHeaders). */
export interface RequestHeaders {
  get(name: string): string | null;
  forEach(visit: (value: string, name: string) => void): void;
}

/** A Node request's parsed headers as RequestHeaders, without building web Headers (a repeated header reads as one value joined by ", "). */
export class NodeRequestHeaders implements RequestHeaders {
  constructor(private readonly headers: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.headers[name];
    return value === undefined ? null : typeof value === 'string' ? value : value.join(', ');
  }

  forEach(visit: (value: string, name: string) => void): void {
    for (const name in this.headers) {
      const value = this.get(name);
      if (value !== null) visit(value, name);
    }
  }
}

/**
 * The client's headers as the provider should see them: the provider key untouched, LLMLab's
 * own headers and the dashboard cookie removed, and an uncompressed answer asked for so usage
 * can be read from it.
 */
export function upstreamHeaders(incoming: RequestHeaders): UpstreamHeaders {
  const out: UpstreamHeaders = {};
  incoming.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || name.startsWith('x-llmlab-') || name === 'cookie' || name === 'accept-encoding') return;
    out[name] = value;
  });
  out['accept-encoding'] = 'identity';
  return out;
}

/**
 * The provider's response headers for the client, minus hop-by-hop ones and any encoding the
 * proxy undid (it decodes gzip, deflate and br), as Node's writeHead takes them (a repeated header, such as set-cookie, as a list).
 */
export function clientHeaderRecord(upstream: Record<string, string | string[] | undefined>, decoded: boolean, bodyChanged: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) && name !== 'content-length') continue;
    // A decoded body drops its encoding and length; one the proxy could not decode passes as sent, labelled as sent.
    if (name === 'content-encoding' && decoded) continue;
    if (name === 'content-length' && (decoded || bodyChanged)) continue;
    out[name] = value;
  }
  return out;
}

/** The same headers for a web Response: a plain object unless a header repeats, which only Headers keeps apart. */
export function clientHeaders(upstream: Record<string, string | string[] | undefined>, decoded: boolean, bodyChanged: boolean): Record<string, string> | Headers {
  const record = clientHeaderRecord(upstream, decoded, bodyChanged);
  const names = Object.keys(record);
  if (names.every((name) => typeof record[name] === 'string')) return record as Record<string, string>;
  const headers = new Headers();
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string') headers.set(name, value);
    else for (const v of value) headers.append(name, v);
  }
  return headers;
}
