import type { ServerResponse } from 'node:http';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { createGateway, type Gateway } from './gateway.js';
import { proxyCall } from './forward.js';
import type { ProxyRequest } from './proxy-call.js';
import { PROVIDERS } from './providers.js';

const ProviderError = z.looseObject({}).describe("The provider's own error body; the gateway's own errors use the same shape (OpenAI: {error:{message,type,code}}, Anthropic: {type:'error', error:{type,message}})");

function documentProxy(app: OpenAPIHono, provider: 'openai' | 'anthropic') {
  const example = provider === 'openai' ? '`new OpenAI({ baseURL: "<server>/proxy/openai/v1", defaultHeaders: { "x-llmlab-key": "llmlab_..." } })`' : '`new Anthropic({ baseURL: "<server>/proxy/anthropic", defaultHeaders: { "x-llmlab-key": "llmlab_..." } })`';
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: `/proxy/${provider}/{path}`,
    summary: `Forward a call to ${provider === 'openai' ? 'OpenAI' : 'Anthropic'} and record its usage`,
    description:
      `Pass-through: \`{path}\` (with the query string) is appended verbatim to ${provider === 'openai' ? 'LLMLAB_OPENAI_BASE_URL' : 'LLMLAB_ANTHROPIC_BASE_URL'}; every method is forwarded. ${example}. ` +
      'The provider key passes through untouched; the LLMLab project key (scope ingest) travels in `x-llmlab-key`, or as the provider credential when the project stores a provider key. ' +
      'Attribution headers: `x-llmlab-feature`, `x-llmlab-user`, `x-llmlab-environment`, `x-llmlab-tags` (JSON object or k=v,k=v); `x-llmlab-timeout-ms` bounds the call. ' +
      'Streams are relayed chunk by chunk. Hard budgets answer 429 in the provider format, naming the budget. ' +
      'Response cache (docs/controls.md): `x-llmlab-cache: true` answers a repeat of this exact call (same project, provider, path, body with keys in any order) from the cache, `false` skips the project\'s cache; `x-llmlab-cache-ttl` (seconds, 1-604800) bounds the age of the answer served and stored. Answers then carry `x-llmlab-cache: HIT | MISS | BYPASS`; a hit costs nothing and calls no provider.',
    tags: ['proxy'],
    request: {
      params: z.object({ path: z.string().describe('e.g. chat/completions, v1/messages') }),
      headers: z.object({
        'x-llmlab-key': z.string().optional().describe('LLMLab project API key'),
        'x-llmlab-feature': z.string().optional(),
        'x-llmlab-user': z.string().optional(),
        'x-llmlab-tags': z.string().optional(),
        'x-llmlab-cache': z.enum(['true', 'false']).optional().describe('Answer from the response cache (true, even a sampled call), or never (false); unset: the project setting'),
        'x-llmlab-cache-ttl': z.string().optional().describe('Seconds a cached answer is served, 1-604800; default the project setting (3600)'),
      }),
      body: { required: false, content: { 'application/json': { schema: z.looseObject({}) } } },
    },
    responses: {
      200: { description: 'The provider answer, byte for byte (JSON or text/event-stream)', content: { 'application/json': { schema: z.looseObject({}) }, 'text/event-stream': { schema: z.string() } } },
      400: { description: 'Unreadable attribution headers', content: { 'application/json': { schema: ProviderError } } },
      401: { description: 'Missing or invalid LLMLab key', content: { 'application/json': { schema: ProviderError } } },
      403: { description: 'The LLMLab key lacks the ingest scope', content: { 'application/json': { schema: ProviderError } } },
      413: { description: 'Request body larger than the proxy takes', content: { 'application/json': { schema: ProviderError } } },
      429: { description: 'A hard budget would be exceeded (or the provider rate-limited the call)', content: { 'application/json': { schema: ProviderError } } },
      502: { description: 'The provider could not be reached', content: { 'application/json': { schema: ProviderError } } },
      503: { description: 'Database unreachable and the project fails closed', content: { 'application/json': { schema: ProviderError } } },
      504: { description: 'The provider did not answer within the timeout', content: { 'application/json': { schema: ProviderError } } },
      default: { description: "Any other status the provider answers, relayed with the provider's body", content: { 'application/json': { schema: ProviderError } } },
    },
  });
}

/** A request that reached the gateway through Hono: in-process use (app.request), or a path the Node entry leaves to Hono. */
function fromHono(c: Context): ProxyRequest {
  const req = c.req.raw;
  return {
    method: req.method,
    path: req.url.slice(req.url.indexOf('/', req.url.indexOf('//') + 2)),
    headers: req.headers,
    body: async () => new Uint8Array(await req.arrayBuffer()),
    outgoing: (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing,
  };
}

/**
 * The gateway: /proxy/openai/*, /proxy/anthropic/*. It answers in each provider's format,
 * outside the /api body limit.
 */
export function registerProxyRoutes(app: OpenAPIHono, ctx: AppContext): Gateway {
  const gw = createGateway(ctx);
  for (const spec of Object.values(PROVIDERS)) {
    app.all(`/proxy/${spec.name}/*`, (c) => proxyCall(gw, spec, fromHono(c)));
    documentProxy(app, spec.name);
  }
  return gw;
}
