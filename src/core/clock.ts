import type { AbortSignalLike } from "@azure/abort-controller";
import { delay } from "./delay.js";

/**
 * The time waiters and pollers read and sleep on. The client uses the system clock; tests plug in
 * `tsdo/testing`'s virtual clock (`createTestClient` does it for a fake started with
 * `clock: "virtual"`), so a seven-minute wait runs in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms`, or rejects with an `AbortError` as soon as `signal` fires. */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
  /**
   * Tells the clock that `work` (a poll's request) is in flight, so a virtual clock does not jump
   * ahead while real I/O is still under way. Returns `work`.
   */
  track<T>(work: Promise<T>): Promise<T>;
}

/** Real time: `Date.now()` and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, signal),
  track: (work) => work,
};
