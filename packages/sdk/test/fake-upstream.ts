/**
 * A local stand-in for the OpenAI, Anthropic and Gemini HTTP APIs, answering as their API
 * references document: chat.completion / chat.completion.chunk (usage in a final chunk with empty
 * choices when `stream_options.include_usage`), Responses (`response.*` SSE events ending in
 * `response.completed`), embeddings (float or base64), Anthropic messages (JSON, or the
 * message_start / content_block_* / message_delta / message_stop SSE sequence), and Gemini's
 * `/v1beta/models/{model}:generateContent`, `:streamGenerateContent` (`alt=sse`: SSE, else a JSON
 * array), `:embedContent`, `:batchEmbedContents`, `:countTokens` (errors as `{error: {code,
 * message, status}}`). Usage fields include cached, cache-write and reasoning tokens; header
 * `x-fake-no-usage` answers as a provider that reports none (see routeWithoutUsage). Azure
 * OpenAI's `/openai/deployments/{deployment}/...` paths answer as OpenAI's, `/deepseek/chat/completions`
 * as DeepSeek's (fake-compatible.ts). Reusable by any test
 * that needs an upstream: point a client's baseURL at `openaiBaseUrl` or `anthropicBaseUrl`,
 * `new AzureOpenAI({ endpoint: url, apiVersion })`, or `new GoogleGenAI({ apiKey, httpOptions: { baseUrl: url } })`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessage, anthropicStream } from './fake-anthropic.js';
import { deepseekChatCompletion, deepseekChatStream } from './fake-compatible.js';
import { DEFAULT_FAKE_GEMINI_USAGE, type FakeGeminiUsage, GEMINI_PATH, geminiAnswer, geminiError } from './fake-google.js';
import { chatCompletion, chatStream, embeddingList, responseObject, responsesStream } from './fake-openai.js';

export interface FakeUsage {
  /** OpenAI chat: prompt_tokens, prompt_tokens_details.cached_tokens, completion_tokens, completion_tokens_details.reasoning_tokens. */
  chat: { prompt_tokens: number; cached_tokens: number; completion_tokens: number; reasoning_tokens: number };
  /** OpenAI Responses: input_tokens (+details.cached_tokens), output_tokens (+details.reasoning_tokens). */
  responses: { input_tokens: number; cached_tokens: number; output_tokens: number; reasoning_tokens: number };
  embeddings: { prompt_tokens: number };
  /** Anthropic: input_tokens excludes cache reads and writes, as Anthropic reports it. */
  anthropic: { input_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number; output_tokens: number };
  /** Gemini `usageMetadata` (DEFAULT_FAKE_GEMINI_USAGE when absent). */
  google?: FakeGeminiUsage;
}

export const DEFAULT_FAKE_USAGE: FakeUsage = {
  chat: { prompt_tokens: 1200, cached_tokens: 1024, completion_tokens: 300, reasoning_tokens: 64 },
  responses: { input_tokens: 900, cached_tokens: 512, output_tokens: 250, reasoning_tokens: 100 },
  embeddings: { prompt_tokens: 8 },
  anthropic: { input_tokens: 20, cache_read_input_tokens: 2000, cache_creation_input_tokens: 500, output_tokens: 400 },
  google: DEFAULT_FAKE_GEMINI_USAGE,
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | null;
}

export interface InjectedFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeUpstreamOptions {
  usage?: Partial<FakeUsage>;
  /** The snapshot a model alias resolves to in responses (`gpt-4o` -> `gpt-4o-2024-08-06`). */
  resolveModel?: (model: string) => string;
  /** Wait before answering, per request. */
  delayMs?: number;
}

export interface FakeUpstream {
  url: string;
  /** For `new OpenAI({ baseURL })`. */
  openaiBaseUrl: string;
  /** For `new Anthropic({ baseURL })`. */
  anthropicBaseUrl: string;
  /** For `new OpenAI({ baseURL })` answering as DeepSeek (its usage fields). */
  deepseekBaseUrl: string;
  requests: RecordedRequest[];
  /** Sets the usage of every following answer; a request can also send header `x-fake-usage` (JSON, partial FakeUsage). */
  setUsage(usage: Partial<FakeUsage>): void;
  /** Answers the next `count` requests with this error instead. */
  failNext(failure: InjectedFailure, count?: number): void;
  /** Streams pause after their first content event until the returned function is called. */
  holdStreams(): () => void;
  /** The next streamed answer sends `events` events, then the connection is dropped mid-answer. */
  cutNextStream(events: number): void;
  close(): Promise<void>;
}

const SNAPSHOTS: Record<string, string> = {
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'o3-mini': 'o3-mini-2025-01-31',
  'o4-mini': 'o4-mini-2025-04-16',
};

/** The answer a handler gives: JSON, or SSE events written one by one (`crlf`: each ends in `\r\n\r\n`, as Google's do). */
export type FakeAnswer = { json: unknown } | { sse: { event?: string; data: unknown }[]; crlf?: boolean };

/** The helpers a provider format module gets. */
export interface FakeContext {
  id(prefix: string): string;
  model(requested: unknown): string;
  usage: FakeUsage;
  /** `x-fake-service-tier`: the tier the answer names, whatever the request asked (Anthropic's `batch` is never asked in a request). */
  serviceTier?: string;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function mergeUsage(base: FakeUsage, extra: Partial<FakeUsage> | undefined): FakeUsage {
  if (!extra) return base;
  return {
    chat: { ...base.chat, ...extra.chat },
    responses: { ...base.responses, ...extra.responses },
    embeddings: { ...base.embeddings, ...extra.embeddings },
    anthropic: { ...base.anthropic, ...extra.anthropic },
    google: { ...DEFAULT_FAKE_GEMINI_USAGE, ...base.google, ...extra.google },
  };
}

export type FakeRouter = (path: string, body: Record<string, unknown>, ctx: FakeContext) => FakeAnswer | null;

/**
 * The answer of a provider that reports no usage (an OpenAI-compatible server that ignores
 * `stream_options.include_usage`): the request is read without its stream_options, so a chat
 * stream has no usage chunk, and a JSON answer loses its `usage`.
 */
export function routeWithoutUsage(route: FakeRouter, path: string, body: Record<string, unknown>, ctx: FakeContext): FakeAnswer | null {
  const { stream_options: _ignored, ...read } = body;
  const answer = route(path, read, ctx);
  if (!answer || !('json' in answer)) return answer;
  const { usage: _dropped, ...json } = answer.json as Record<string, unknown>;
  return { json };
}

/** Azure OpenAI's deployment paths (`/openai/deployments/{deployment}/chat/completions?api-version=...`), answered as OpenAI's. */
const AZURE_PATH = /^\/openai\/deployments\/([^/]+)(\/chat\/completions|\/responses|\/embeddings)$/;

function route(path: string, body: Record<string, unknown>, ctx: FakeContext): FakeAnswer | null {
  const azure = AZURE_PATH.exec(path);
  if (azure) return route(`/v1${azure[2]}`, { ...body, model: body.model ?? azure[1] }, ctx);
  const stream = body.stream === true;
  switch (path) {
    case '/v1/chat/completions':
      return stream ? { sse: chatStream(body, ctx) } : { json: chatCompletion(body, ctx) };
    case '/v1/responses':
      return stream ? { sse: responsesStream(body, ctx) } : { json: responseObject(body, ctx, 'completed') };
    case '/v1/embeddings':
      return { json: embeddingList(body, ctx) };
    case '/v1/messages':
      return stream ? { sse: anthropicStream(body, ctx) } : { json: anthropicMessage(body, ctx) };
    case '/deepseek/chat/completions':
      return stream ? { sse: deepseekChatStream(body, ctx) } : { json: deepseekChatCompletion(body, ctx) };
    default:
      return null;
  }
}

/** Gemini's methods; `alt=sse` asks `:streamGenerateContent` for SSE instead of one JSON array. */
function routeGoogle(path: string, query: URLSearchParams, body: Record<string, unknown>, ctx: FakeContext): FakeAnswer | null {
  return geminiAnswer(path, query, body, ctx, ctx.usage.google ?? DEFAULT_FAKE_GEMINI_USAGE);
}

/**
 * Starts the fake upstream on a free local port.
 * @example const up = await startFakeUpstream(); const openai = new OpenAI({ apiKey: 'sk-test', baseURL: up.openaiBaseUrl, maxRetries: 0 })
 */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  let usage = mergeUsage(DEFAULT_FAKE_USAGE, options.usage);
  const failures: InjectedFailure[] = [];
  const requests: RecordedRequest[] = [];
  let gate: Promise<void> | null = null;
  let cutAfter: number | null = null;
  const resolveModel = options.resolveModel ?? ((m: string) => SNAPSHOTS[m] ?? m);

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const [path, query = ''] = (req.url ?? '/').split('?');
    const body = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const requestId = `req_${randomBytes(12).toString('hex')}`;
    const idHeaders = { 'x-request-id': requestId, 'request-id': requestId };
    const failure = failures.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...idHeaders, ...failure.headers });
      res.end(JSON.stringify(failure.body));
      return;
    }
    const header = req.headers['x-fake-usage'];
    const ctx: FakeContext = {
      id: (prefix) => `${prefix}${randomBytes(12).toString('hex')}`,
      model: (requested) => resolveModel(typeof requested === 'string' ? requested : 'unknown'),
      usage: typeof header === 'string' ? mergeUsage(usage, JSON.parse(header) as Partial<FakeUsage>) : usage,
      serviceTier: typeof req.headers['x-fake-service-tier'] === 'string' ? req.headers['x-fake-service-tier'] : undefined,
    };
    const answerOf = req.headers['x-fake-no-usage'] ? routeWithoutUsage.bind(null, route) : route;
    const google = GEMINI_PATH.test(path);
    const routed = google ? routeGoogle(path, new URLSearchParams(query), body ?? {}, ctx) : body ? answerOf(path, body, ctx) : null;
    const result = req.method === 'POST' ? routed : null;
    if (!result && google) {
      res.writeHead(404, { 'content-type': 'application/json; charset=UTF-8', ...idHeaders });
      res.end(JSON.stringify(geminiError(404, 'NOT_FOUND', `Unknown request URL: ${req.method} ${path}`)));
      return;
    }
    if (!result) {
      res.writeHead(404, { 'content-type': 'application/json', ...idHeaders });
      res.end(JSON.stringify({ error: { message: `Unknown request URL: ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } }));
      return;
    }
    if ('json' in result) {
      res.writeHead(200, { 'content-type': 'application/json', ...idHeaders });
      res.end(JSON.stringify(result.json));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...idHeaders });
    const end = result.crlf ? '\r\n\r\n' : '\n\n';
    const cut = cutAfter;
    cutAfter = null;
    let index = 0;
    for (const event of result.sse) {
      if (index === cut) {
        // Let what was written reach the client first, then drop the connection mid-answer.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        await new Promise((r) => setTimeout(r, 20));
        res.destroy();
        return;
      }
      const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
      res.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${data}${end}`);
      // Hold after the first content-bearing event, so a test can look while the stream is open.
      if (index === 1 && gate) await gate;
      index += 1;
    }
    res.end();
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    deepseekBaseUrl: `${url}/deepseek`,
    requests,
    setUsage(next) {
      usage = mergeUsage(DEFAULT_FAKE_USAGE, next);
    },
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    cutNextStream(events) {
      cutAfter = events;
    },
    holdStreams() {
      let release: () => void = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        gate = null;
        release();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
