import type { AnyMethod } from './intercept.js';

export interface ApiPromiseLike<T> extends PromiseLike<T> {
  withResponse?: () => Promise<unknown>;
  asResponse?: () => Promise<unknown>;
  _thenUnwrap?: (transform: AnyMethod) => ApiPromiseLike<unknown>;
}

/**
 * Stands in for the SDK's `APIPromise` while a call waits on LLMLab's budget state (or was
 * refused by it): awaiting it, `.withResponse()`, `.asResponse()` and the SDK helpers'
 * `._thenUnwrap()` behave as on the real one once the provider call is made.
 */
export class PendingCall<T> extends Promise<T> {
  static override get [Symbol.species]() {
    return Promise;
  }

  private readonly call: Promise<{ promise: ApiPromiseLike<T> }>;

  constructor(call: Promise<{ promise: ApiPromiseLike<T> }>) {
    let settle: (value: T | PromiseLike<T>) => void = () => {};
    let fail: (reason: unknown) => void = () => {};
    super((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    this.call = call;
    call.then((boxed) => settle(boxed.promise), fail);
  }

  withResponse(): Promise<unknown> {
    return this.call.then(({ promise }) => (promise.withResponse ? promise.withResponse() : promise));
  }

  asResponse(): Promise<unknown> {
    return this.call.then(({ promise }) => (promise.asResponse ? promise.asResponse() : promise));
  }

  _thenUnwrap(transform: AnyMethod): PendingCall<unknown> {
    return new PendingCall(
      this.call.then(({ promise }) => ({
        promise: promise._thenUnwrap ? promise._thenUnwrap(transform) : Promise.resolve(promise).then((v) => transform(v)),
      })),
    );
  }
}
