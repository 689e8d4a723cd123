import type { CallGuard } from '../rate-limits/call-guard.js';
import { type Attribution, currentAttribution, mergeAttribution } from '../context/attribution.js';
import type { AnyMethod } from './intercept.js';
import { observeCall } from './observe.js';
import { type ApiPromiseLike, PendingCall } from './pending-call.js';
import { type CallRecorder, TrackedCall } from './tracked-call.js';

/** Per-call defaults for a wrapped client; `withTags` inside the call wins over them. */
export interface WrapOptions extends Attribution {
  /**
   * The catalog provider the calls are recorded and priced under. For an `openai` client it names
   * the OpenAI-compatible host it talks to (`'groq'`, `'deepseek'`, `'x-ai'`; aliases such as
   * `'xai'` are accepted) and picks how that host's usage is read. Default: `anthropic` or `google`
   * for those clients; for an `openai` client, the host its `baseURL` points at (`azure` for
   * `AzureOpenAI`), else `openai`.
   * @example wrapOpenAI(new OpenAI({ baseURL: 'https://gateway.internal/groq/v1' }), { provider: 'groq' })
   */
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
  /** Whether every call streams (Gemini's generateContentStream); by default a call streams when its body says `stream: true`. */
  streams?: boolean;
  /** The model a request names, when not simply its `model` string. */
  modelOf?: (body: RequestBody) => string | undefined;
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
    const model = spec.modelOf ? spec.modelOf(body) : typeof body?.model === 'string' ? body.model : undefined;
    const start = (): ApiPromiseLike<unknown> => {
      const stream = spec.streams ?? body?.stream === true;
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
