/** Hop-by-hop headers (RFC 9110 7.6.1) and the ones the HTTP client sets itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);

/** Request headers for the provider, lower-case names; a plain object is what undici takes cheapest. */
export type UpstreamHeaders = Record<string, string>;

/**
 * The client's headers as the provider should see them: the provider key untouched, LLMLab's
 * own headers and the dashboard cookie removed, and an uncompressed answer asked for so usage
 * can be read from it.
 */
export function upstreamHeaders(incoming: Headers): UpstreamHeaders {
  const out: UpstreamHeaders = {};
  for (const [name, value] of incoming) {
    if (HOP_BY_HOP.has(name) || name.startsWith('x-llmlab-') || name === 'cookie' || name === 'accept-encoding') continue;
    out[name] = value;
  }
  out['accept-encoding'] = 'identity';
  return out;
}

/**
 * The provider's response headers for the client, minus hop-by-hop ones and any encoding the
 * proxy undid. A plain object unless a header repeats (set-cookie), which only Headers keeps apart.
 */
export function clientHeaders(upstream: Record<string, string | string[] | undefined>, decoded: boolean, bodyChanged: boolean): Record<string, string> | Headers {
  const out: Record<string, string> = {};
  let repeated: [string, string[]][] | undefined;
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) && name !== 'content-length') continue;
    if (name === 'content-encoding') continue;
    if (name === 'content-length' && (decoded || bodyChanged)) continue;
    if (typeof value === 'string') out[name] = value;
    else {
      repeated ??= [];
      repeated.push([name, value]);
    }
  }
  if (!repeated) return out;
  const headers = new Headers(out);
  for (const [name, values] of repeated) for (const v of values) headers.append(name, v);
  return headers;
}
