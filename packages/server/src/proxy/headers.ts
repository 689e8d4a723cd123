/** Hop-by-hop headers (RFC 9110 7.6.1) and the ones fetch sets itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);

/**
 * The client's headers as the provider should see them: the provider key untouched, LLMLab's
 * own headers and the dashboard cookie removed, and an uncompressed answer asked for so usage
 * can be read from it.
 */
export function upstreamHeaders(incoming: Headers): Headers {
  const out = new Headers();
  for (const [name, value] of incoming) {
    if (HOP_BY_HOP.has(name) || name.startsWith('x-llmlab-') || name === 'cookie' || name === 'accept-encoding') continue;
    out.append(name, value);
  }
  out.set('accept-encoding', 'identity');
  return out;
}

/** The provider's response headers for the client, minus hop-by-hop ones and any encoding fetch undid. */
export function clientHeaders(upstream: Headers, bodyChanged: boolean): Headers {
  const out = new Headers();
  const decoded = upstream.has('content-encoding');
  for (const [name, value] of upstream) {
    if (HOP_BY_HOP.has(name) && name !== 'content-length') continue;
    if (name === 'content-encoding') continue;
    if (name === 'content-length' && (decoded || bodyChanged)) continue;
    out.append(name, value);
  }
  return out;
}
