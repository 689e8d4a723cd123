import type { CallGuard } from '../rate-limits/call-guard.js';
import { type Attribution, currentAttribution, mergeAttribution } from '../context/attribution.js';
import type { AnyMethod } from './intercept.js';
import { observeCall } from './observe.js';
import { type ApiPromiseLike, PendingCall } from './pending-call.js';
import { type CallRecorder, TrackedCall } from './tracked-call.js';

/** Per-call defaults for a wrapped client; `withTags` inside the call wins over them. */
export interface WrapOptions extends Attribution {
  /** Provider name on the events (default `openai` or `anthropic`; e.g. `azure` for Azure OpenAI). */
  provider?: string;
}

export interface WrapContext {
  recorder: CallRecorder;
  guard: CallGuard | null;
  defaults: Attribution;
  provider: string;
}

export type RequestBody = Record<string, unknown> & { model?: unknown; stream?: unknown };

/** How one provider method is observed. */
export interface MethodSpec {
  operation: string;
  /** The body actually sent for a streaming call (OpenAI chat asks for usage), and whether LLMLab added that. */
  prepareStream?: (body: RequestBody) => { body: RequestBody; injected: boolean };
  readResult(data: unknown, call: TrackedCall): void;
  watchStream(stream: object, call: TrackedCall, injected: boolean): void;
}

/**
 * The tracked version of a provider method: checks hard budget limits, calls the original with
 * the same arguments, and records the outcome once, without touching what the caller receives.
 */
export function trackedMethod(original: AnyMethod, spec: MethodSpec, ctx: WrapContext): AnyMethod {
  return function tracked(this: unknown, body: RequestBody, ...rest: unknown[]) {
    const attribution = mergeAttribution(ctx.defaults, currentAttribution());
    const model = typeof body?.model === 'string' ? body.model : undefined;
    const start = (): ApiPromiseLike<unknown> => {
      const stream = body?.stream === true;
      const call = new TrackedCall(ctx.recorder, {
        provider: ctx.provider,
        model,
        operation: spec.operation,
        stream,
        attribution,
        body,
      });
      const prepared = stream && spec.prepareStream ? spec.prepareStream(body) : { body, injected: false };
      let promise: unknown;
      try {
        promise = original(prepared.body, ...rest);
      } catch (error) {
        call.fail(error);
        throw error;
      }
      return observeCall(promise as ApiPromiseLike<unknown>, {
        onData: (data) => {
          if (stream && data !== null && typeof data === 'object') spec.watchStream(data, call, prepared.injected);
          else spec.readResult(data, call);
        },
        onError: (error) => call.fail(error),
        onBodyError: (error) => call.breakOff(error, null, undefined),
      });
    };
    if (!ctx.guard) return start();
    const scope = { provider: ctx.provider, model, feature: attribution.feature, userId: attribution.userId, tags: attribution.tags };
    const verdict = ctx.guard.check(scope);
    if (verdict.kind === 'allow') return start();
    if (verdict.kind === 'block') return new PendingCall<unknown>(Promise.reject(verdict.error));
    const guard = ctx.guard;
    return new PendingCall<unknown>(
      verdict.ready.then(() => {
        const now = guard.verdict(scope);
        if (now.kind === 'block') throw now.error;
        return { promise: start() };
      }),
    );
  };
}
