/**
 * Watching a provider call without changing it. The official clients return an `APIPromise`
 * that parses the body only when someone asks for it (`await`, `.withResponse()`,
 * `._thenUnwrap()`) and leaves it unread for `.asResponse()`. Calling `.then` on it ourselves
 * would read the body behind the user's back, so the instance's own parse step is wrapped
 * instead: usage is seen exactly when, and only if, the user's code parses the response.
 */

interface ParsingPromise {
  responsePromise: Promise<unknown>;
  parseResponse: (client: unknown, props: unknown) => Promise<unknown>;
}

function isParsingPromise(value: unknown): value is ParsingPromise {
  const p = value as Partial<ParsingPromise> | null;
  return !!p && typeof p.parseResponse === 'function' && !!p.responsePromise && typeof p.responsePromise.then === 'function';
}

export interface CallObserver {
  /** The parsed result: a response object, or a stream for `stream: true`. */
  onData(data: unknown): void;
  /** The request failed before any answer (an error status, a network error). */
  onError(error: unknown): void;
  /** The provider answered (2xx) but its body could not be read or parsed: the call happened, its usage is unknown. */
  onBodyError(error: unknown): void;
}

/** Hooks the observer into the promise a provider method returned, and returns that same promise. */
export function observeCall<P>(promise: P, observer: CallObserver): P {
  if (isParsingPromise(promise)) {
    const parse = promise.parseResponse;
    promise.parseResponse = async (client, props) => {
      let data: unknown;
      try {
        data = await parse.call(promise, client, props);
      } catch (error) {
        observer.onBodyError(error);
        throw error;
      }
      observer.onData(data);
      return data;
    };
    // The request failing (HTTP error, network) rejects responsePromise; a handler here only watches.
    promise.responsePromise.then(undefined, (error) => observer.onError(error));
    return promise;
  }
  // Some other thenable (a client built differently): watching it is the only option left.
  const thenable = promise as unknown as PromiseLike<unknown> | null;
  if (thenable && typeof thenable.then === 'function') {
    thenable.then(
      (data) => observer.onData(data),
      (error) => observer.onError(error),
    );
  }
  return promise;
}

export interface StreamObserver<Item> {
  /** Sees each item; returning false keeps it from the user (an item only LLMLab asked for). */
  onItem(item: Item): boolean;
  /** Called once: the stream ran out, failed, or the user stopped reading. */
  onEnd(outcome: { error?: unknown; completed: boolean }): void;
}

interface IteratorHolder<Item> {
  iterator?: () => AsyncIterator<Item>;
  [Symbol.asyncIterator]?: () => AsyncIterator<Item>;
}

async function* watch<Item>(inner: AsyncIterator<Item>, observer: StreamObserver<Item>): AsyncGenerator<Item, void, undefined> {
  let completed = false;
  let failure: { error: unknown } | undefined;
  try {
    for (;;) {
      const step = await inner.next();
      if (step.done) {
        completed = true;
        return;
      }
      if (observer.onItem(step.value)) yield step.value;
    }
  } catch (error) {
    failure = { error };
    throw error;
  } finally {
    // The user broke out of the loop: let the SDK's own iterator abort its request.
    if (!completed && !failure) await Promise.resolve(inner.return?.()).catch(() => undefined);
    observer.onEnd(failure ? { error: failure.error, completed } : { completed });
  }
}

/**
 * Makes every way of reading an SDK stream (for await, `tee()`, `toReadableStream()`) pass
 * through the observer. The stream object stays the same instance, same class, same items.
 */
export function observeStream<S extends object, Item>(stream: S, observer: StreamObserver<Item>): S {
  const holder = stream as S & IteratorHolder<Item>;
  if (typeof holder.iterator === 'function') {
    // Stainless streams route asyncIterator, tee and toReadableStream through `iterator()`.
    const original = holder.iterator;
    holder.iterator = () => watch(original.call(stream), observer);
    return stream;
  }
  const own = holder[Symbol.asyncIterator];
  if (typeof own === 'function') {
    Object.defineProperty(stream, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value: () => watch(own.call(stream), observer),
    });
  }
  return stream;
}
