import { performance } from 'node:perf_hooks';
import type { Attribution } from '../context/attribution.js';
import { serviceTierFromAnswer } from '@llmlab/core/usage';
import type { ServiceTier, TrackInput } from '../events/wire-event.js';
import { canonicalJson } from './request-hash.js';

/** Usage in LLMLab's shape (input includes cached and cache-write tokens, output includes reasoning). */
export interface NormalUsage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
}

/** What a wrapper needs from the LLMLab client. */
export interface CallRecorder {
  /**
   * Queues an event; never throws into the user's call. `requestCanonical` is the request body
   * in canonical JSON; its hash is computed later, off the caller's path.
   */
  recordCall(input: TrackInput, requestCanonical: string | undefined): void;
}

export interface CallStart {
  provider: string;
  model: string | undefined;
  operation: string;
  stream: boolean;
  attribution: Attribution;
  body: unknown;
}

/** The provider's name for an error: `RateLimitError`, `APIConnectionError`, ... */
function errorTypeOf(error: unknown): string {
  const ctor = (error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const name = typeof ctor === 'string' && ctor !== 'Object' && ctor !== '' ? ctor : (error as { name?: unknown })?.name;
  return typeof name === 'string' && name !== '' ? name.slice(0, 200) : 'Error';
}

function httpStatusOf(error: unknown): Record<string, unknown> {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? { http_status: status } : {};
}

/** One provider call from start to its single recorded event (a stream's too, at its end). */
export class TrackedCall {
  private readonly startedAt = performance.now();
  private readonly ts = Date.now();
  private firstItemAt: number | null = null;
  private recorded = false;
  /** The tier the answer said served the call. */
  private serviceTier: ServiceTier | undefined;
  /** Taken now: apps often push the reply onto `messages` right after the call. */
  private readonly requestCanonical: string | undefined;

  constructor(
    private readonly recorder: CallRecorder,
    private readonly start: CallStart,
  ) {
    try {
      this.requestCanonical = canonicalJson(start.body);
    } catch {
      // A body JSON cannot describe (a cycle) simply gets no hash.
      this.requestCanonical = undefined;
    }
  }

  /** Notes the tier the provider's answer names (OpenAI's `service_tier`, Anthropic's `usage.service_tier`); a later answer wins. */
  servedAt(value: unknown): void {
    this.serviceTier = serviceTierFromAnswer(value) ?? this.serviceTier;
  }

  /** Time to first item, for streams. */
  markFirstItem(): void {
    this.firstItemAt ??= performance.now();
  }

  /**
   * The provider answered. A call whose usage never arrived (`usage` null), or arrived only in
   * part (`usageFinal` false: an Anthropic stream cut before message_delta), is recorded as
   * usage_missing: unpriced, never as a $0 call.
   */
  succeed(usage: NormalUsage | null, model: string | undefined, extra: Record<string, unknown> = {}, usageFinal = usage !== null): void {
    this.record('success', usage, model, undefined, extra, !usageFinal);
  }

  /**
   * The call failed before the provider answered (an error status, a refused connection):
   * providers do not bill it, so it is an error event with no tokens, not usage_missing.
   */
  fail(error: unknown): void {
    this.record('error', null, undefined, errorTypeOf(error), httpStatusOf(error), false);
  }

  /**
   * The provider had accepted the call (2xx) and begun answering, then the answer broke off or
   * reported a failure: the call happened, so without its final usage it is usage_missing.
   */
  breakOff(error: unknown, usage: NormalUsage | null, model: string | undefined, usageFinal = usage !== null): void {
    this.record('error', usage, model, errorTypeOf(error), httpStatusOf(error), !usageFinal);
  }

  private record(
    status: 'success' | 'error',
    usage: NormalUsage | null,
    model: string | undefined,
    errorType: string | undefined,
    extra: Record<string, unknown>,
    usageMissing: boolean,
  ): void {
    if (this.recorded) return;
    this.recorded = true;
    const { attribution: a, body: _body, ...s } = this.start;
    const metadata: Record<string, unknown> = { ...a.metadata, operation: s.operation, ...extra };
    if (s.stream) {
      metadata.stream = true;
      if (this.firstItemAt !== null) metadata.ttft_ms = Math.round(this.firstItemAt - this.startedAt);
    }
    this.recorder.recordCall({
      provider: s.provider,
      model: model || s.model || 'unknown',
      inputTokens: usage?.input_tokens ?? 0,
      outputTokens: usage?.output_tokens ?? 0,
      cachedInputTokens: usage?.cached_input_tokens,
      cacheWriteTokens: usage?.cache_write_tokens,
      reasoningTokens: usage?.reasoning_tokens,
      usageMissing: usageMissing || undefined,
      serviceTier: this.serviceTier,
      timestamp: this.ts,
      latencyMs: Math.round(performance.now() - this.startedAt),
      status,
      errorType,
      feature: a.feature,
      userId: a.userId,
      sessionId: a.sessionId,
      environment: a.environment,
      tags: a.tags,
      metadata,
    }, this.requestCanonical);
  }
}
