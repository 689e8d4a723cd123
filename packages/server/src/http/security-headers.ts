import type { MiddlewareHandler } from 'hono';
import type { JsonResponse } from './define-route.js';

/** What hono's secureHeaders() sends, with this dashboard's content security policy. */
const BROWSER_HEADERS: [string, string][] = [
  [
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  ],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

const JSON_API_HEADERS: Record<string, string> = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  ...Object.fromEntries(BROWSER_HEADERS),
};

/** Answers built by apiJson(), which carry every header already. */
const complete = new WeakSet<Response>();

/**
 * A JSON answer with every header of browserHeaders() in a plain object, the form
 * @hono/node-server writes straight to the socket. For the ingest routes, answered thousands of
 * times a second, where building web Headers objects is a measurable part of a request.
 */
export function apiJson<T>(body: T, status: number): JsonResponse<T> {
  const res = new Response(JSON.stringify(body), { status, headers: JSON_API_HEADERS });
  complete.add(res);
  return res as JsonResponse<T>;
}

/**
 * Browser security headers (and `Cache-Control: no-store` under /api). They are set before the
 * handler runs so that its answer is built once with them: setting a header on a finished
 * response makes @hono/node-server turn its light response into a full web Response and stream
 * the body from it. Ingest writes (POST /api/events/*) answer with apiJson() and skip this; a
 * handler that returns a Response object of its own (static files, errors on the ingest paths)
 * gets the headers after.
 */
export function browserHeaders(): MiddlewareHandler {
  return async (c, next) => {
    const api = c.req.path.startsWith('/api/');
    const ingest = api && c.req.method === 'POST' && c.req.path.startsWith('/api/events/');
    if (!ingest) {
      for (const [name, value] of BROWSER_HEADERS) c.header(name, value);
      if (api) c.header('Cache-Control', 'no-store');
    }
    await next();
    if (complete.has(c.res) || c.res.headers.has('X-Frame-Options')) return;
    for (const [name, value] of BROWSER_HEADERS) c.header(name, value);
    if (api) c.header('Cache-Control', 'no-store');
  };
}
