import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Attribution } from './attribution.js';
import { callEvent, type FinishedCall } from './call-event.js';
import type { ProxyRequest } from './forward.js';
import type { Gateway } from './gateway.js';
import { clientHeaderRecord, clientHeaders, type UpstreamHeaders } from './headers.js';
import type { InspectedRequest } from './inspect-request.js';
import type { ProjectProfile } from './project-profiles.js';
import type { GatewayErrorKind, ProviderSpec } from './providers.js';
import { type ChunkFilter, type OutcomeTap, outcomeTap, stripUsageChunk, type TapResult } from './stream-taps.js';
import { sendUpstream, type UpstreamAnswer, type UpstreamCall } from './upstream-client.js';

/** A call the gateway let through: where it goes, what it carries, and who pays. */
export interface AdmittedCall {
  key: string;
  attribution: Attribution;
  request: InspectedRequest;
  /** The path and query for the provider, after its base URL. */
  target: string;
  path: string;
  profile?: ProjectProfile;
  headers: UpstreamHeaders;
  reservationIds: string[];
  timeoutMs: number;
  startedAt: number;
  started: number;
}

export function gatewayError(spec: ProviderSpec, status: number, kind: GatewayErrorKind, message: string): Response {
  return new Response(JSON.stringify(spec.errorBody(kind, message)), { status, headers: { 'content-type': 'application/json', 'x-llmlab-gateway-error': kind } });
}

/**
 * The client's copy of the upstream body. Each chunk is read once from the Node stream, handed
 * on (minus the usage chunk when `filter` strips it) and then shown to the usage tap: no tee, no
 * second buffer. The upstream is paused while the client's queue is full, and a client that goes away
 * cancels the stream, which destroys the upstream body.
 */
function relayBody(body: Readable, tap: OutcomeTap, filter: ChunkFilter | undefined, done: (outcome: TapResult) => void): ReadableStream<Uint8Array> {
  let ended = false;
  const end = (aborted: boolean) => {
    if (ended) return;
    ended = true;
    done(tap.end(aborted));
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      body.on('data', (chunk: Buffer) => {
        const out = filter ? filter.push(chunk) : chunk;
        if (out) controller.enqueue(out);
        tap.push(chunk);
        if ((controller.desiredSize ?? 1) <= 0) body.pause();
      });
      body.once('end', () => {
        const rest = filter?.flush();
        if (rest) controller.enqueue(rest);
        controller.close();
        end(false);
      });
      body.once('error', (err) => {
        controller.error(err);
        end(true);
      });
      body.once('close', () => end(!body.readableEnded));
    },
    pull() {
      if (body.isPaused()) body.resume();
    },
    cancel(reason) {
      body.destroy(reason instanceof Error ? reason : undefined);
    },
  });
}

/**
 * Sends the call upstream and relays the answer as it arrives; the same chunks are read for
 * usage on the way, and the call is recorded once the body ends. A client hang-up or the
 * timeout aborts the upstream request.
 */
export function relay(gw: Gateway, spec: ProviderSpec, req: ProxyRequest, call: AdmittedCall): Promise<Response> {
  return new ProxiedCall(gw, spec, call, req.method, req.outgoing).run();
}

/** What the answer's status line and headers told. */
interface AnswerFacts {
  httpStatus: number;
  ttfbMs: number;
  upstreamRequestId: string | undefined;
}

/**
 * One call in flight. Its state lives on an instance rather than in closures made per call:
 * fewer allocations on the hot path, and nothing for the TypeScript loader to rename per call.
 */
class ProxiedCall {
  private timedOut = false;
  private clientGone = false;
  private readonly timer: NodeJS.Timeout;
  private readonly upstream: UpstreamCall;

  constructor(
    private readonly gw: Gateway,
    private readonly spec: ProviderSpec,
    private readonly call: AdmittedCall,
    private readonly method: string,
    private readonly outgoing: ServerResponse | undefined,
  ) {
    this.timer = setTimeout(() => this.timeout(), call.timeoutMs);
    outgoing?.once('close', () => this.clientClosed());
    this.upstream = sendUpstream(spec.baseUrl(gw.ctx.config), call.target, method, call.headers, call.request.forwardBody);
  }

  private timeout(): void {
    this.timedOut = true;
    this.upstream.abort(new Error(`no complete answer within ${this.call.timeoutMs} ms`));
  }

  private clientClosed(): void {
    if (this.outgoing?.writableFinished) return;
    this.clientGone = true;
    this.upstream.abort(new Error('client closed the connection'));
  }

  /** Stops the timer and queues the call's event (a call with no JSON model is not recorded). */
  private finish(result: Omit<FinishedCall, 'provider' | 'path' | 'startedAt' | 'latencyMs'>): void {
    clearTimeout(this.timer);
    const { call } = this;
    if (!call.request.tracked) return;
    const event = callEvent(call.request, call.attribution, { ...result, provider: this.spec.name, path: call.path, startedAt: call.startedAt, latencyMs: performance.now() - call.started });
    this.gw.usage.add({ actor: call.profile?.actor, key: call.key, event, reservationIds: call.reservationIds });
  }

  /** The answer's body has been relayed, or ended early. */
  private bodyEnded(base: AnswerFacts, outcome: TapResult): void {
    let errorType: string | undefined;
    if (base.httpStatus < 200 || base.httpStatus >= 300) errorType = outcome.errorType ?? `http_${base.httpStatus}`;
    else if (outcome.aborted) errorType = this.timedOut ? 'timeout' : this.clientGone ? 'client_closed' : 'upstream_stream_error';
    else errorType = outcome.errorType;
    this.finish({ ...base, errorType, outcome });
  }

  async run(): Promise<Response> {
    const { spec, call, outgoing } = this;
    let upstream: UpstreamAnswer;
    try {
      upstream = await this.upstream.answer;
    } catch (err) {
      this.finish({ httpStatus: 0, errorType: this.timedOut ? 'timeout' : this.clientGone ? 'client_closed' : 'upstream_unreachable', outcome: {} });
      if (this.timedOut) return gatewayError(spec, 504, 'timeout', `LLMLab proxy: ${spec.name} did not answer within ${call.timeoutMs} ms`);
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      return gatewayError(spec, 502, 'bad_gateway', `LLMLab proxy: cannot reach ${spec.baseUrl(this.gw.ctx.config)}: ${cause}`);
    }
    const ttfbMs = Math.round(performance.now() - call.started);
    const { status } = upstream;
    const ok = status >= 200 && status < 300;
    const contentType = upstream.headers['content-type'];
    const sse = typeof contentType === 'string' && contentType.includes('text/event-stream');
    const strip = call.request.usageInjected && sse && ok;
    const requestId = upstream.headers['x-request-id'] ?? upstream.headers['request-id'];
    const base: AnswerFacts = { httpStatus: status, ttfbMs, upstreamRequestId: typeof requestId === 'string' ? requestId : undefined };
    const bodyless = status === 204 || status === 205 || status === 304 || this.method === 'HEAD';
    const tap = outcomeTap(spec, sse);
    const filter = strip ? stripUsageChunk() : undefined;
    if (outgoing && !bodyless) {
      new NodeRelay(upstream.body, outgoing, tap, filter, (outcome) => this.bodyEnded(base, outcome)).start(upstream, clientHeaderRecord(upstream.headers, upstream.decoded, strip));
      return RESPONSE_ALREADY_SENT;
    }
    const headers = clientHeaders(upstream.headers, upstream.decoded, strip);
    // A body-less status: the answer is complete; release the socket and record the call now.
    if (bodyless) {
      upstream.body.resume();
      this.finish({ ...base, errorType: ok ? undefined : `http_${status}`, outcome: {} });
      return new Response(null, { status, statusText: upstream.statusText, headers });
    }
    return new Response(relayBody(upstream.body, tap, filter, (outcome) => this.bodyEnded(base, outcome)), { status, statusText: upstream.statusText, headers });
  }
}

/**
 * The answer written straight to the client's Node response, the way the server runs: no web
 * Response or ReadableStream between the two sockets. Each chunk is written once, then shown to
 * the usage tap; the upstream pauses while the client's socket buffer is full. A client that
 * goes away aborts the upstream request (see ProxiedCall), which ends the body here as aborted.
 * The call's bookkeeping waits for the next turn of the event loop, after the last bytes are on
 * their way to the client.
 */
class NodeRelay {
  private ended = false;

  constructor(
    private readonly body: Readable,
    private readonly outgoing: ServerResponse,
    private readonly tap: OutcomeTap,
    private readonly filter: ChunkFilter | undefined,
    private readonly done: (outcome: TapResult) => void,
  ) {}

  start(upstream: UpstreamAnswer, headers: Record<string, string | string[]>): void {
    const { body, outgoing } = this;
    if (upstream.statusText) outgoing.writeHead(upstream.status, upstream.statusText, headers);
    else outgoing.writeHead(upstream.status, headers);
    outgoing.on('drain', () => body.resume());
    body.on('data', (chunk: Buffer) => this.chunk(chunk));
    body.once('end', () => this.bodyEnd());
    body.once('error', () => {
      outgoing.destroy();
      this.end(true);
    });
    body.once('close', () => this.end(!body.readableEnded));
  }

  private chunk(chunk: Buffer): void {
    const out = this.filter ? this.filter.push(chunk) : chunk;
    if (out && !this.outgoing.destroyed && !this.outgoing.write(out)) this.body.pause();
    // The client's bytes first. Node sends a write on the next tick (it corks the socket until
    // then), so the usage tap reads the chunk in a microtask, after the bytes are on their way;
    // microtasks keep the chunks in order, and the tap's end comes later still (setImmediate).
    queueMicrotask(() => this.tap.push(chunk));
  }

  private bodyEnd(): void {
    const rest = this.filter?.flush();
    if (!this.outgoing.destroyed) this.outgoing.end(rest ?? undefined);
    this.end(false);
  }

  private end(aborted: boolean): void {
    if (this.ended) return;
    this.ended = true;
    setImmediate(() => this.done(this.tap.end(aborted)));
  }
}
