import { AsyncLocalStorage } from 'node:async_hooks';
import type { TagValue } from '../events/wire-event.js';

/** Who and what a call is for; applied to every call made inside `withTags`. */
export interface Attribution {
  feature?: string;
  userId?: string;
  /** The conversation or agent run the calls belong to: LLMLab sums them as one session. */
  sessionId?: string;
  environment?: string;
  tags?: Record<string, TagValue>;
  metadata?: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<Attribution>();

/** Inner values win; tags and metadata are merged key by key. */
export function mergeAttribution(outer: Attribution | undefined, inner: Attribution | undefined): Attribution {
  if (!outer) return inner ?? {};
  if (!inner) return outer;
  return {
    feature: inner.feature ?? outer.feature,
    userId: inner.userId ?? outer.userId,
    sessionId: inner.sessionId ?? outer.sessionId,
    environment: inner.environment ?? outer.environment,
    tags: outer.tags || inner.tags ? { ...outer.tags, ...inner.tags } : undefined,
    metadata: outer.metadata || inner.metadata ? { ...outer.metadata, ...inner.metadata } : undefined,
  };
}

/** The attribution in force where this is called (nested `withTags` merged). */
export function currentAttribution(): Attribution | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with tags that every tracked or wrapped call inside it (awaits and callbacks
 * included) carries. Nested calls merge, the inner value winning.
 * @example await withTags({ feature: 'summarize', userId: user.id }, () => openai.chat.completions.create(req))
 * @example await withTags({ sessionId: run.id }, () => agent.run(task)) // every call of the run, one session
 */
export function withTags<R>(tags: Attribution, fn: () => R): R {
  return storage.run(mergeAttribution(storage.getStore(), tags), fn);
}

type Method<This, A extends unknown[], R> = (this: This, ...args: A) => R;

/**
 * Attribution as a higher-order function or as a method decorator (TC39 decorators, TS 5+).
 * @example const summarize = trackCost(async (text: string) => llm(text), { feature: 'summarize' })
 * @example class Bot { @trackCost({ feature: 'chat' }) async reply(q: string) { ... } }
 */
export function trackCost<A extends unknown[], R>(fn: (...args: A) => R, tags: Attribution): (...args: A) => R;
export function trackCost(
  tags: Attribution,
): <This, A extends unknown[], R>(method: Method<This, A, R>, context: ClassMethodDecoratorContext<This, Method<This, A, R>>) => Method<This, A, R>;
export function trackCost<A extends unknown[], R>(fnOrTags: ((...args: A) => R) | Attribution, maybeTags?: Attribution) {
  if (typeof fnOrTags === 'function') {
    const fn = fnOrTags;
    const tags = maybeTags ?? {};
    const tracked = function (this: unknown, ...args: A): R {
      return withTags(tags, () => fn.apply(this, args));
    };
    Object.defineProperty(tracked, 'name', { value: fn.name });
    return tracked;
  }
  const tags = fnOrTags;
  return <This, M extends unknown[], Out>(method: Method<This, M, Out>, _context: ClassMethodDecoratorContext<This, Method<This, M, Out>>) =>
    function (this: This, ...args: M): Out {
      return withTags(tags, () => method.apply(this, args));
    };
}
