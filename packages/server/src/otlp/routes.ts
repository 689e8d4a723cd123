import { gunzipSync } from 'node:zlib';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError, OtlpExportAnswer, OtlpStatusAnswer } from '@llmlab/core';
import type { Context } from 'hono';
import { z } from 'zod';
import { authenticate, requireScope } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { decodeJsonTraces, decodeProtobufTraces, OtlpDecodeError, type OtlpSpan, ResponseType, StatusType } from './decode-traces.js';
import { recordSpans } from './record-spans.js';

export const MAX_OTLP_BYTES = 16 * 1024 * 1024;

/** gRPC status codes OTLP/HTTP carries in its error body (google.rpc.Status). */
const RPC = { invalid_argument: 3, permission_denied: 7, unauthenticated: 16, unavailable: 14, resource_exhausted: 8, internal: 13 } as const;

type Encoding = 'json' | 'protobuf';

function answer(encoding: Encoding, status: number, body: Record<string, unknown>, kind: 'response' | 'status'): Response {
  if (encoding === 'json') return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const type = kind === 'response' ? ResponseType : StatusType;
  return new Response(new Uint8Array(type.encode(type.fromObject(body)).finish()), { status, headers: { 'content-type': 'application/x-protobuf' } });
}

function failure(encoding: Encoding, status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  const res = answer(encoding, status, { code, message }, 'status');
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

async function readBody(c: Context): Promise<Uint8Array> {
  const raw = new Uint8Array(await c.req.arrayBuffer());
  return c.req.header('content-encoding')?.toLowerCase() === 'gzip' ? gunzipSync(raw, { maxOutputLength: MAX_OTLP_BYTES }) : raw;
}

/** One export request: decoded and authenticated here, recorded by recordSpans, answered in the request's encoding. */
async function exportTraces(ctx: AppContext, c: Context): Promise<Response> {
  const contentType = c.req.header('content-type')?.toLowerCase() ?? '';
  const encoding: Encoding = contentType.includes('protobuf') ? 'protobuf' : 'json';
  if (!contentType.includes('json') && !contentType.includes('protobuf')) {
    return failure('json', 415, RPC.invalid_argument, 'send OTLP/HTTP as application/json or application/x-protobuf');
  }
  if (Number(c.req.header('content-length') ?? 0) > MAX_OTLP_BYTES) return failure(encoding, 413, RPC.resource_exhausted, `export request larger than ${MAX_OTLP_BYTES / 1024 / 1024} MB`);
  const key = c.req.header('x-llmlab-key')?.trim() || c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!key) return failure(encoding, 401, RPC.unauthenticated, 'send the LLMLab project key in x-llmlab-key or Authorization: Bearer');
  let spans: OtlpSpan[];
  try {
    const body = await readBody(c);
    spans = encoding === 'json' ? decodeJsonTraces(Buffer.from(body).toString('utf8')) : decodeProtobufTraces(body);
  } catch (err) {
    if (err instanceof OtlpDecodeError || (err as { code?: string }).code?.startsWith('Z_')) return failure(encoding, 400, RPC.invalid_argument, (err as Error).message);
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return failure(encoding, 413, RPC.resource_exhausted, 'export request too large once decompressed');
    throw err;
  }
  try {
    const actor = await authenticate(ctx, key);
    requireScope(actor, 'ingest');
    return answer(encoding, 200, await recordSpans({ ctx: { ...ctx, actor }, input: { spans } }), 'response');
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === 'unauthorized') return failure(encoding, 401, RPC.unauthenticated, err.message);
      if (err.code === 'forbidden') return failure(encoding, 403, RPC.permission_denied, err.message);
      if (err.code === 'validation_failed' || err.code === 'bad_request') return failure(encoding, 400, RPC.invalid_argument, err.message);
    }
    ctx.log.error('OTLP export failed', { error: String((err as Error)?.stack ?? err) });
    // Exporters retry 503 with backoff; events are idempotent by trace and span id.
    return failure(encoding, 503, RPC.unavailable, 'LLMLab could not store the spans; retry', { 'retry-after': '5' });
  }
}

const OTLP_FAILURES = {
  400: 'Undecodable body',
  401: 'Missing or invalid key',
  403: 'The key lacks the ingest scope',
  413: 'Export request larger than 16 MB (also once decompressed)',
  415: 'Neither application/json nor application/x-protobuf',
  503: 'Storage unavailable: retry after the Retry-After header',
};

/** POST /v1/traces: OTLP/HTTP trace export (JSON or protobuf, gzip allowed). */
export function registerOtlpRoutes(app: OpenAPIHono, ctx: AppContext) {
  app.post('/v1/traces', (c) => exportTraces(ctx, c));
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/traces',
    summary: 'OpenTelemetry trace export (OTLP/HTTP): spans with gen_ai.* usage become events',
    description:
      'Point an OTLP/HTTP exporter at `<server>/v1/traces` with header `x-llmlab-key` (or Authorization: Bearer). JSON or protobuf, optionally gzip. ' +
      'Spans of LLM calls are recorded (source otlp, event_id `otlp:<trace id>:<span id>`); spans that describe the same call (an instrumentation around an SDK that traces itself, or one gen_ai.response.id) count once, priced from the most complete usage; re-sent spans count once; a call span without usage is stored unpriced with usage_missing. Other spans are ignored; docs/otlp.md has the rules. ' +
      'Attributes llmlab.feature, llmlab.user (or enduser.id), deployment.environment.name and llmlab.tag.<name> attribute the call.',
    tags: ['otlp'],
    request: { body: { required: true, content: { 'application/json': { schema: z.looseObject({}) }, 'application/x-protobuf': { schema: z.string() } } } },
    responses: {
      200: { description: 'ExportTraceServiceResponse, with partialSuccess when spans were rejected', content: { 'application/json': { schema: OtlpExportAnswer }, 'application/x-protobuf': { schema: z.string() } } },
      ...Object.fromEntries(Object.entries(OTLP_FAILURES).map(([status, description]) => [status, { description: `${description} (google.rpc.Status, in the request's encoding)`, content: { 'application/json': { schema: OtlpStatusAnswer }, 'application/x-protobuf': { schema: z.string() } } }])),
    },
  });
}
