import type { AbortSignalLike } from "@azure/abort-controller";
import { AbortError } from "./errors.js";

interface Subscription {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const subscriptions = new WeakMap<AbortSignalLike, Subscription>();

/**
 * Calls `callback` when `signal` aborts; the returned function unsubscribes. However many calls
 * share one signal (a shutdown signal passed to 64 concurrent calls, each with retries and a timer),
 * the signal gets one listener, removed when the last subscriber leaves: adding one per attempt
 * trips Node's MaxListenersExceededWarning at 11 and grows the signal's listener list.
 */
export function onAbort(signal: AbortSignalLike, callback: () => void): () => void {
  let subscription = subscriptions.get(signal);
  if (subscription === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      subscriptions.delete(signal);
      signal.removeEventListener("abort", listener);
      for (const subscriber of [...callbacks]) subscriber();
    };
    subscription = { callbacks, listener };
    subscriptions.set(signal, subscription);
    signal.addEventListener("abort", listener);
  }
  const { callbacks, listener } = subscription;
  // Each subscription is its own entry, even if two pass the same function.
  const entry = (): void => callback();
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0 || subscriptions.get(signal) !== subscription) return;
    subscriptions.delete(signal);
    signal.removeEventListener("abort", listener);
  };
}

/**
 * `promise`, or an `AbortError` as soon as `signal` fires, whichever comes first: for work that may
 * ignore the signal it was given (a `TokenCredential` fetching a token), so that the caller is not
 * held up by it. The work itself is left to finish; its result is dropped.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignalLike | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => reject(new AbortError()));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

type AbortListener = (event: { readonly type: "abort" }) => void;

/**
 * A signal tsdo makes for one attempt, one call or one client's lifetime. It implements just
 * `AbortSignalLike`, which is all core's HTTP client interface asks for: Node's AbortController
 * costs several microseconds to construct and to listen to, a noticeable share of a small call's
 * client CPU when made for every call.
 */
export class PlainAbortSignal implements AbortSignalLike {
  aborted = false;
  reason: unknown = undefined;
  #listeners: AbortListener[] = [];

  addEventListener(type: "abort", listener: AbortListener): void {
    if (type === "abort" && !this.#listeners.includes(listener)) this.#listeners.push(listener);
  }

  removeEventListener(type: "abort", listener: AbortListener): void {
    if (type === "abort") this.#listeners = this.#listeners.filter((candidate) => candidate !== listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener({ type: "abort" });
  }
}
