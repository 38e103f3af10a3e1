import type { AbortSignalLike } from "@azure/abort-controller";
import type { Clock } from "../core/clock.js";
import { AbortError } from "../core/errors.js";

/** Schedules a callback; returns what cancels it. The fake's own timers (actions, provisioning) go through this. */
export interface FakeTimers {
  now(): number;
  schedule(ms: number, callback: () => void): () => void;
}

/**
 * The fake's clock, `fake.clock`: what its resources' provisioning and a test client's waiters run
 * on. Virtual (`startFakeDigitalOcean({ clock: "virtual" })`), time moves only when the test says:
 * start the wait, then `await fake.clock.advance(ms)` or `await fake.clock.runUntilIdle()`.
 */
export interface FakeClock {
  /** True for the virtual clock. */
  readonly virtual: boolean;
  /** The clock's time, epoch ms. */
  now(): number;
  /**
   * Moves time forward by `ms`, firing every timer due on the way in order, and lets the requests
   * they start finish between timers. Virtual clock only.
   */
  advance(ms: number): Promise<void>;
  /** Fires timers in time order until none is left (every wait finished or failed). Virtual clock only. */
  runUntilIdle(): Promise<void>;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Real time, for a fake started without `clock: "virtual"`. */
export class RealClock implements FakeClock, FakeTimers {
  readonly virtual = false;
  now(): number {
    return Date.now();
  }
  schedule(ms: number, callback: () => void): () => void {
    const timer = setTimeout(callback, ms);
    // A pending timer must not keep a test process alive on its own.
    timer.unref();
    return () => clearTimeout(timer);
  }
  advance(): Promise<void> {
    return Promise.reject(new TypeError('fake.clock.advance: this fake runs on real time; start it with { clock: "virtual" }'));
  }
  runUntilIdle(): Promise<void> {
    return Promise.reject(new TypeError('fake.clock.runUntilIdle: this fake runs on real time; start it with { clock: "virtual" }'));
  }
}

/** How many timers `runUntilIdle` fires before it decides something reschedules itself forever. */
const MAX_TIMERS_PER_RUN = 100_000;
/** How long (real time) a tracked poll may stay in flight before time moves on without it: it hangs. */
const HUNG_POLL_IN_MS = 2000;

/**
 * Virtual time, shared by the fake and the clients `createTestClient` wires to it. Timers wait
 * for `advance` / `runUntilIdle`; between two timers the clock waits for the polls in flight
 * (`track`) and for pending I/O callbacks, so a waiter sees each step as it would in real time.
 */
export class VirtualClock implements FakeClock, FakeTimers, Clock {
  readonly virtual = true;
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(ms: number, callback: () => void): () => void {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fire: callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    // Nothing to wait for: go on at once, so a first poll needs no advance.
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        cancel();
        reject(new AbortError());
      };
      const cancel = this.schedule(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const done = (): void => void this.#inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  async advance(ms: number): Promise<void> {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new TypeError(`fake.clock.advance: ms must be a finite number, 0 or more (got ${String(ms)})`);
    const target = this.#now + ms;
    await this.#run(target);
    this.#now = Math.max(this.#now, target);
    await this.#settle();
  }

  runUntilIdle(): Promise<void> {
    return this.#run(Infinity);
  }

  /** Drops every timer (on the fake's reset and close). */
  cancelAll(): void {
    this.#timers.clear();
  }

  async #run(until: number): Promise<void> {
    for (let fired = 0; ; fired++) {
      await this.#settle();
      const next = this.#next();
      if (next === undefined || next.at > until) return;
      if (fired >= MAX_TIMERS_PER_RUN) throw new Error(`fake.clock: more than ${MAX_TIMERS_PER_RUN} timers fired; something reschedules itself forever`);
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.at);
      next.fire();
    }
  }

  #next(): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.#timers) if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    return next;
  }

  /** Waits until no tracked poll is in flight and a couple of I/O turns bring nothing new. */
  async #settle(): Promise<void> {
    for (;;) {
      await turn();
      if (this.#inFlight.size > 0) {
        // A poll that hangs (a stalled answer) must not stop time: its waiter's timeout is what ends it.
        if (await settledWithin([...this.#inFlight], HUNG_POLL_IN_MS)) continue;
        return;
      }
      await turn();
      if (this.#inFlight.size === 0) return;
    }
  }
}

/** True when every promise settled within `ms` of real time. */
async function settledWithin(work: readonly Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.allSettled(work).then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
