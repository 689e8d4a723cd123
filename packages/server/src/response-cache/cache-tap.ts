import type { AdmittedCall } from '../proxy/proxy-call.js';
import type { Gateway } from '../proxy/gateway.js';
import type { OutcomeTap, TapResult } from '../proxy/stream-taps.js';
import type { CachePlan } from './cache-policy.js';
import { storeAnswer } from './store-answer.js';

/**
 * The usage tap of a call the cache missed, keeping the answer's bytes as they pass to the client
 * (the relay is not held up: the bytes were written first), up to the largest answer the cache
 * keeps. When the answer ended complete, 2xx, without an error and with its final usage, it is
 * stored in the background. Any other call keeps its plain tap.
 */
export function cachingTap(gw: Gateway, call: AdmittedCall, status: number, contentType: unknown, tap: OutcomeTap): OutcomeTap {
  const plan = call.cache;
  if (plan?.status !== 'MISS' || !call.profile || status < 200 || status >= 300) return tap;
  return new CachingTap(gw, call, plan, call.profile.actor.projectId, status, typeof contentType === 'string' ? contentType : null, tap);
}

class CachingTap implements OutcomeTap {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private readonly maxBytes: number;

  constructor(
    private readonly gw: Gateway,
    private readonly call: AdmittedCall,
    private readonly plan: Extract<CachePlan, { status: 'MISS' }>,
    private readonly projectId: string,
    private readonly status: number,
    private readonly contentType: string | null,
    private readonly tap: OutcomeTap,
  ) {
    this.maxBytes = gw.ctx.config.responseCache.maxEntryBytes;
  }

  push(chunk: Uint8Array): void {
    this.tap.push(chunk);
    if (this.size > this.maxBytes) return;
    this.size += chunk.byteLength;
    if (this.size <= this.maxBytes) this.chunks.push(chunk);
    else this.chunks = [];
  }

  end(aborted: boolean): TapResult {
    const result = this.tap.end(aborted);
    const { usage } = result;
    if (!aborted && usage && !result.usagePartial && !result.errorType && this.size > 0 && this.size <= this.maxBytes) {
      const now = this.gw.ctx.now();
      const body = Buffer.concat(this.chunks);
      this.chunks = [];
      storeAnswer(this.gw.ctx, {
        project_id: this.projectId,
        key: this.plan.key,
        provider: this.call.request.provider,
        model: (result.model ?? this.call.request.model ?? 'unknown').slice(0, 200),
        status: this.status,
        content_type: this.contentType,
        body,
        size_bytes: body.byteLength,
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cached_input_tokens: usage.cached_input_tokens ?? 0,
        cache_write_tokens: usage.cache_write_tokens ?? 0,
        reasoning_tokens: usage.reasoning_tokens ?? 0,
        created_at: now,
        expires_at: now + this.plan.ttlMs,
      }).catch((err: unknown) => this.gw.ctx.log.warn('answer not stored in the response cache', { project_id: this.projectId, error: (err as Error).message }));
    }
    return result;
  }
}
