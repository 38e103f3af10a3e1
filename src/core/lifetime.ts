import type { AbortSignalLike } from "@azure/abort-controller";
import { onAbort, PlainAbortSignal } from "./abortListener.js";
import type { Clock } from "./clock.js";
import { AbortError, ClientClosedError } from "./errors.js";
import type { WaitContext } from "./waiter.js";

/** A signal lent to one piece of work, and the function that detaches it from what it listens to. */
export interface LinkedSignal {
  readonly signal: AbortSignalLike;
  release(): void;
}

const NOTHING_TO_RELEASE = (): void => undefined;

/**
 * A client's lifetime: `close()` ends it, and every request, retry wait, queued call and waiter's
 * sleep of the client listens to it, so that they end at once rather than when their timers run out.
 * A `withOptions` child has its own, inside its root's: ending the root's ends the child's, never the
 * reverse. Nothing holds a listener on a lifetime's signal once its work is over, so a client that
 * lives for the whole process collects none.
 */
export class Lifetime {
  readonly #root: Lifetime | undefined;
  // Made on first use: a per-request `withOptions` child that is never closed needs none.
  #ownSignal: PlainAbortSignal | undefined;
  #closed = false;
  #idle: LinkedSignal | undefined;

  constructor(root?: Lifetime) {
    this.#root = root;
  }

  get closed(): boolean {
    return this.#closed || this.#root?.closed === true;
  }

  close(): void {
    this.#closed = true;
    this.#ownSignal?.abort(new ClientClosedError());
  }

  /** Fires when `close()` is called on this lifetime (not on its root's). */
  get #signal(): PlainAbortSignal {
    if (this.#ownSignal === undefined) {
      this.#ownSignal = new PlainAbortSignal();
      if (this.#closed) this.#ownSignal.abort(new ClientClosedError());
    }
    return this.#ownSignal;
  }

  /**
   * A signal that fires when `signal` does or this lifetime ends, for one piece of work; `release()`
   * once the work is over. A root's work without a signal of its own is given the lifetime's signal
   * itself: no allocation on the hot path, and nothing to release.
   */
  link(signal: AbortSignalLike | undefined): LinkedSignal {
    if (signal === undefined && this.#root === undefined) return (this.#idle ??= { signal: this.#signal, release: NOTHING_TO_RELEASE });
    const linked = new PlainAbortSignal();
    const aborted = (): void => linked.abort(new AbortError());
    const closed = (): void => linked.abort(new ClientClosedError());
    if (signal?.aborted) aborted();
    const fromSignal = signal ? onAbort(signal, aborted) : undefined;
    const fromOwn = onAbort(this.#signal, closed);
    const fromRoot = this.#root ? onAbort(this.#root.#signal, closed) : undefined;
    return {
      signal: linked,
      release: () => {
        fromSignal?.();
        fromOwn();
        fromRoot?.();
      },
    };
  }

  /**
   * Runs `work` with `link(signal)`; if this lifetime ends before the work does, rejects with
   * `ClientClosedError` whatever the work failed with (its `AbortError`, a destroyed socket).
   */
  async guard<T>(signal: AbortSignalLike | undefined, work: (signal: AbortSignalLike) => Promise<T>): Promise<T> {
    if (this.closed) throw new ClientClosedError();
    const link = this.link(signal);
    try {
      return await work(link.signal);
    } catch (error) {
      throw this.closed ? new ClientClosedError() : error;
    } finally {
      link.release();
    }
  }
}

/** `clock`, with sleeps that end with `ClientClosedError` when `lifetime` does. */
export function closableClock(clock: Clock, lifetime: Lifetime): Clock {
  return {
    now: () => clock.now(),
    sleep: (ms, signal) => lifetime.guard(signal, (linked) => clock.sleep(ms, linked)),
    track: (work) => clock.track(work),
  };
}

/**
 * A `withOptions` child's view of its root's poll schedule: the same slots (one pace for the whole
 * family), with waits that also end when the child is closed, and the child's clock.
 */
export function scheduleOf(shared: WaitContext["schedule"], clock: Clock, lifetime: Lifetime): WaitContext["schedule"] {
  return {
    clock,
    slot: (earliest, latest, signal) => lifetime.guard(signal, (linked) => shared.slot(earliest, latest, linked)),
  };
}
