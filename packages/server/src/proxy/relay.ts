import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { withRateLimitHeaders } from '../rate-limits/rate-limit-headers.js';
import { cachingTap } from '../response-cache/cache-tap.js';
import { withCacheStatus } from '../response-cache/cache-status-header.js';
import { callEvent, type FinishedCall } from './call-event.js';
import type { Gateway } from './gateway.js';
import { clientHeaderRecord, clientHeaders } from './headers.js';
import { type AdmittedCall, gatewayError, type ProxyRequest } from './proxy-call.js';
import type { ProviderSpec } from './providers.js';
import { type ChunkFilter, type OutcomeTap, outcomeTap, stripUsageChunk, type TapResult } from './stream-taps.js';
import { sendUpstream, type UpstreamAnswer, type UpstreamCall } from './upstream-client.js';

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
    this.upstream = sendUpstream(call.baseUrl, call.target, method, call.headers, call.request.forwardBody);
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
    const event = callEvent(call.request, call.attribution, { ...result, provider: this.spec.provider, path: call.path, startedAt: call.startedAt, latencyMs: performance.now() - call.started });
    const deployment = call.request.pathMetadata?.deployment;
    if (typeof deployment === 'string' && result.outcome.model && call.profile) this.gw.deployments.learn(call.profile.actor.projectId, deployment, result.outcome.model);
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
      if (this.timedOut) return gatewayError(spec, 'timeout', `LLMLab proxy: ${spec.name} did not answer within ${call.timeoutMs} ms`);
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      return gatewayError(spec, 'bad_gateway', `LLMLab proxy: cannot reach ${call.baseUrl}: ${cause}`);
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
    const tap = cachingTap(this.gw, call, status, contentType, outcomeTap(spec, sse));
    const filter = strip ? stripUsageChunk() : undefined;
    const done = (outcome: TapResult) => this.bodyEnded(base, outcome);
    if (outgoing && !bodyless) {
      const sink = new NodeSink(outgoing, upstream, withCacheStatus(withRateLimitHeaders(clientHeaderRecord(upstream.headers, upstream.decoded, strip), call.rateLimitHeaders), call.cache));
      new BodyRelay(upstream.body, sink, tap, filter, done).start();
      return RESPONSE_ALREADY_SENT;
    }
    const headers = withCacheStatus(withRateLimitHeaders(clientHeaders(upstream.headers, upstream.decoded, strip), call.rateLimitHeaders), call.cache);
    // A body-less status: the answer is complete; release the socket and record the call now.
    if (bodyless) {
      upstream.body.resume();
      this.finish({ ...base, errorType: ok ? undefined : `http_${status}`, outcome: {} });
      return new Response(null, { status, statusText: upstream.statusText, headers });
    }
    const sink = new WebSink(upstream.body);
    new BodyRelay(upstream.body, sink, tap, filter, done).start();
    return new Response(sink.stream, { status, statusText: upstream.statusText, headers });
  }
}

/** Where the relayed answer goes: the client's Node response (the server) or a web stream (in-process use). */
interface ClientSink {
  /** Hands a chunk on; false when the client's buffer is full and the upstream should pause. */
  write(chunk: Uint8Array): boolean;
  /** Resumes the upstream when the client can take more. */
  onDrain(resume: () => void): void;
  end(rest: Uint8Array | null): void;
  fail(err: Error): void;
}

/**
 * The one relay of an answer's body to the client. Each chunk is read once from the upstream's
 * Node stream, written to the client (minus the usage chunk when `filter` strips it), then shown
 * to the usage tap: no tee, no second buffer. The upstream pauses while the client's buffer is
 * full. A client that goes away aborts the upstream request (see ProxiedCall), which ends the
 * body here as aborted.
 */
class BodyRelay {
  private ended = false;

  constructor(
    private readonly body: Readable,
    private readonly sink: ClientSink,
    private readonly tap: OutcomeTap,
    private readonly filter: ChunkFilter | undefined,
    private readonly done: (outcome: TapResult) => void,
  ) {}

  start(): void {
    const { body, sink } = this;
    sink.onDrain(() => body.resume());
    body.on('data', (chunk: Buffer) => this.chunk(chunk));
    body.once('end', () => {
      sink.end(this.filter?.flush() ?? null);
      this.end(false);
    });
    body.once('error', (err) => {
      sink.fail(err);
      this.end(true);
    });
    body.once('close', () => this.end(!body.readableEnded));
  }

  private chunk(chunk: Buffer): void {
    const out = this.filter ? this.filter.push(chunk) : chunk;
    if (out && !this.sink.write(out)) this.body.pause();
    // The client's bytes first. Node sends a write on the next tick (it corks the socket until
    // then), so the usage tap reads the chunk in a microtask, after the bytes are on their way;
    // microtasks keep the chunks in order, and the tap's end comes later still (setImmediate).
    queueMicrotask(() => this.tap.push(chunk));
  }

  /** The call's bookkeeping waits for the next turn of the event loop, after the last bytes are on their way to the client. */
  private end(aborted: boolean): void {
    if (this.ended) return;
    this.ended = true;
    setImmediate(() => this.done(this.tap.end(aborted)));
  }
}

/** The answer written straight to the client's Node response, the way the server runs: no web Response or stream between the two sockets. */
class NodeSink implements ClientSink {
  constructor(
    private readonly outgoing: ServerResponse,
    upstream: UpstreamAnswer,
    headers: Record<string, string | string[]>,
  ) {
    if (upstream.statusText) outgoing.writeHead(upstream.status, upstream.statusText, headers);
    else outgoing.writeHead(upstream.status, headers);
  }

  write(chunk: Uint8Array): boolean {
    return this.outgoing.destroyed || this.outgoing.write(chunk);
  }

  onDrain(resume: () => void): void {
    this.outgoing.on('drain', resume);
  }

  end(rest: Uint8Array | null): void {
    if (!this.outgoing.destroyed) this.outgoing.end(rest ?? undefined);
  }

  fail(): void {
    this.outgoing.destroy();
  }
}

/** The answer as a web stream, for a Response handed back to Hono (in-process use). A client that cancels it destroys the upstream body. */
class WebSink implements ClientSink {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private resume: () => void = () => {};

  constructor(body: Readable) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      pull: () => {
        if (body.isPaused()) this.resume();
      },
      cancel: (reason) => {
        body.destroy(reason instanceof Error ? reason : undefined);
      },
    });
  }

  write(chunk: Uint8Array): boolean {
    this.controller.enqueue(chunk);
    return (this.controller.desiredSize ?? 1) > 0;
  }

  onDrain(resume: () => void): void {
    this.resume = resume;
  }

  end(rest: Uint8Array | null): void {
    if (rest) this.controller.enqueue(rest);
    this.controller.close();
  }

  fail(err: Error): void {
    this.controller.error(err);
  }
}
