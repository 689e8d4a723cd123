import type { ServerResponse } from 'node:http';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { createGateway, type Gateway } from './gateway.js';
import { proxyCall } from './forward.js';
import type { ProxyRequest } from './proxy-call.js';
import { PROVIDERS } from './providers.js';
import { compatibleHosts } from './providers/openai.js';

const ProviderError = z.looseObject({}).describe("The provider's own error body; the gateway's own errors use the same shape (OpenAI and compatible hosts: {error:{message,type,code}}, Anthropic: {type:'error', error:{type,message}}, Gemini: {error:{code,message,status}}, Cohere: {message})");

/** What the OpenAPI document says of each documented gateway path: the provider's name, its setting and a client pointed at it. */
const DOCUMENTED: { route: string; title: string; setting: string; client: string; pathExample: string }[] = [
  { route: 'openai', title: 'OpenAI', setting: 'LLMLAB_OPENAI_BASE_URL', client: '`new OpenAI({ baseURL: "<server>/proxy/openai/v1", defaultHeaders: { "x-llmlab-key": "llmlab_..." } })`', pathExample: 'v1/chat/completions' },
  { route: 'anthropic', title: 'Anthropic', setting: 'LLMLAB_ANTHROPIC_BASE_URL', client: '`new Anthropic({ baseURL: "<server>/proxy/anthropic", defaultHeaders: { "x-llmlab-key": "llmlab_..." } })`', pathExample: 'v1/messages' },
  { route: 'google', title: 'Google Gemini', setting: 'LLMLAB_GOOGLE_BASE_URL', client: '`new GoogleGenAI({ apiKey, httpOptions: { baseUrl: "<server>/proxy/google", headers: { "x-llmlab-key": "llmlab_..." } } })`; the key may travel in `x-goog-api-key` or `?key=`, and `:countTokens` is passed through unrecorded', pathExample: 'v1beta/models/gemini-2.5-flash:generateContent' },
  { route: 'azure', title: 'Azure OpenAI', setting: "the project's azure_endpoint (PATCH /api/gateway/settings) or LLMLAB_AZURE_BASE_URL", client: '`new AzureOpenAI({ endpoint: "<server>/proxy/azure", apiKey, apiVersion, deployment, defaultHeaders: { "x-llmlab-key": "llmlab_..." } })`; the model is read from the answer and the deployment kept on the event', pathExample: 'openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21' },
  { route: 'cohere', title: 'Cohere', setting: 'LLMLAB_COHERE_BASE_URL', client: '`new CohereClientV2({ token, environment: "<server>/proxy/cohere" })` with the `x-llmlab-key` header; the cost is read from `usage.billed_units`', pathExample: 'v2/chat' },
  { route: '{host}', title: 'an OpenAI-compatible host', setting: 'LLMLAB_<HOST>_BASE_URL', client: '`new OpenAI({ baseURL: "<server>/proxy/groq/v1", defaultHeaders: { "x-llmlab-key": "llmlab_..." } })`; docs/gateway.md lists each host, its default upstream and its base URL', pathExample: 'v1/chat/completions' },
];

function documentProxy(app: OpenAPIHono, doc: (typeof DOCUMENTED)[number]) {
  const hosts = compatibleHosts.map((h) => h.name);
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: `/proxy/${doc.route}/{path}`,
    summary: `Forward a call to ${doc.title} and record its usage`,
    description:
      `Pass-through: \`{path}\` (with the query string) is appended verbatim to ${doc.setting}; every method is forwarded. ${doc.client}. ` +
      'The provider key passes through untouched; the LLMLab project key (scope ingest) travels in `x-llmlab-key`, or as the provider credential when the project stores a provider key. ' +
      'Attribution headers: `x-llmlab-feature`, `x-llmlab-user`, `x-llmlab-environment`, `x-llmlab-session` (the conversation or agent run, see GET /api/sessions), `x-llmlab-tags` (JSON object or k=v,k=v); `x-llmlab-timeout-ms` bounds the call. ' +
      'Streams are relayed chunk by chunk. Hard budgets answer 429 in the provider format, naming the budget. ' +
      'Response cache (docs/controls.md; OpenAI-shaped and Anthropic calls): `x-llmlab-cache: true` answers a repeat of this exact call (same project, provider, path, body with keys in any order) from the cache, `false` skips the project\'s cache; `x-llmlab-cache-ttl` (seconds, 1-604800) bounds the age of the answer served and stored. Answers then carry `x-llmlab-cache: HIT | MISS | BYPASS`; a hit costs nothing and calls no provider.',
    tags: ['proxy'],
    request: {
      params: doc.route === '{host}'
        ? z.object({ host: z.enum(hosts as [string, ...string[]]).describe('The OpenAI-compatible host'), path: z.string().describe(`e.g. ${doc.pathExample}`) })
        : z.object({ path: z.string().describe(`e.g. ${doc.pathExample}`) }),
      headers: z.object({
        'x-llmlab-key': z.string().optional().describe('LLMLab project API key'),
        'x-llmlab-feature': z.string().optional(),
        'x-llmlab-user': z.string().optional(),
        'x-llmlab-session': z.string().optional().describe('The conversation or agent run the call belongs to, at most 200 characters'),
        'x-llmlab-tags': z.string().optional(),
        'x-llmlab-cache': z.enum(['true', 'false']).optional().describe('Answer from the response cache (true, even a sampled call), or never (false); unset: the project setting'),
        'x-llmlab-cache-ttl': z.string().optional().describe('Seconds a cached answer is served, 1-604800; default the project setting (3600)'),
      }),
      body: { required: false, content: { 'application/json': { schema: z.looseObject({}) } } },
    },
    responses: {
      200: { description: 'The provider answer, byte for byte (JSON or text/event-stream)', content: { 'application/json': { schema: z.looseObject({}) }, 'text/event-stream': { schema: z.string() } } },
      400: { description: 'Unreadable attribution headers, or no upstream configured (Azure without an endpoint)', content: { 'application/json': { schema: ProviderError } } },
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
 * The gateway: /proxy/<provider>/* for every provider of PROVIDERS. It answers in each provider's format,
 * outside the /api body limit.
 */
export function registerProxyRoutes(app: OpenAPIHono, ctx: AppContext): Gateway {
  const gw = createGateway(ctx);
  for (const spec of Object.values(PROVIDERS)) app.all(`/proxy/${spec.name}/*`, (c) => proxyCall(gw, spec, fromHono(c)));
  for (const doc of DOCUMENTED) documentProxy(app, doc);
  return gw;
}
