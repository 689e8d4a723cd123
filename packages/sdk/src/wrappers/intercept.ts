/**
 * A Proxy over an SDK client that swaps chosen methods (`chat.completions.create`) for tracked
 * versions and leaves everything else, types included, exactly as it was.
 */

// biome-ignore lint/suspicious/noExplicitAny: a method of any SDK resource, forwarded untouched
export type AnyMethod = (...args: any[]) => any;

export interface InterceptPlan {
  [property: string]: InterceptPlan | ((original: AnyMethod) => AnyMethod);
}

interface Cached {
  source: unknown;
  value: unknown;
}

/**
 * Proxies `client` so that each leaf of `plan` is replaced by what its factory builds from the
 * original (bound) method. Resources keep their own `this` (the proxy), so their helper methods
 * (`messages.stream`, `chat.completions.parse`) reach the tracked `create` too: Anthropic helpers
 * call `this.create`, OpenAI helpers call `this._client.<resource>.create`, and `_client` is
 * answered with the wrapped client.
 */
export function intercept<T extends object>(client: T, plan: InterceptPlan): T {
  let root: T;
  const wrap = (target: object, node: InterceptPlan, isRoot: boolean): object => {
    const cache = new Map<PropertyKey, Cached>();
    const remember = (prop: PropertyKey, source: unknown, build: () => unknown): unknown => {
      const hit = cache.get(prop);
      if (hit && hit.source === source) return hit.value;
      const value = build();
      cache.set(prop, { source, value });
      return value;
    };
    return new Proxy(target, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        const step = typeof prop === 'string' && Object.hasOwn(node, prop) ? node[prop] : undefined;
        if (step === undefined) {
          if (!isRoot && prop === '_client') return root;
          // The client class keeps private fields that only answer to the real instance.
          if (isRoot && typeof value === 'function' && prop !== 'constructor') {
            return remember(prop, value, () => (value as AnyMethod).bind(t));
          }
          return value;
        }
        if (typeof step === 'function') {
          if (typeof value !== 'function') return value;
          return remember(prop, value, () => step((value as AnyMethod).bind(t)));
        }
        if (value === null || typeof value !== 'object') return value;
        return remember(prop, value, () => wrap(value, step, false));
      },
    });
  };
  root = wrap(client, plan, true) as T;
  return root;
}
