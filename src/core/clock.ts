import type { AbortSignalLike } from "@azure/abort-controller";
import { delay } from "./delay.js";

/**
 * The time waiters, pollers and the rate limiter read and sleep on. The client uses the system
 * clock; tests plug in `tsdo/testing`'s `fake.clock` (`createTestClient` does it), so on a fake
 * started with `clock: "virtual"` a seven-minute wait runs in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms`, or rejects with an `AbortError` as soon as `signal` fires. */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
  /**
   * Tells the clock that `work` (each request the client sends, from the call to its parsed
   * answer) is in flight, so a virtual clock does not jump ahead while real I/O is still under way.
   * Returns `work`.
   */
  track<T>(work: Promise<T>): Promise<T>;
  /**
   * Tells the clock that tracked work now waits for `wait`, which only this clock's time ends (a
   * call queued in the rate limiter), so a virtual clock moves on rather than wait for it. Returns `wait`.
   */
  park?<T>(wait: Promise<T>): Promise<T>;
}

/** Real time: `Date.now()` and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, signal),
  track: (work) => work,
};
