import type { AbortSignalLike } from "@azure/abort-controller";
import type { Clock } from "../core/clock.js";
import { delay } from "../core/delay.js";
import { AbortError } from "../core/errors.js";

/** Schedules a callback; returns what cancels it. The fake's own timers (actions, provisioning) go through this. */
export interface FakeTimers {
  now(): number;
  schedule(ms: number, callback: () => void): () => void;
}

/**
 * The fake's clock, `fake.clock`: what its resources' provisioning and a test client's waiters and
 * rate limiter run on. It is a client `clock` too (`new DigitalOceanClient(token, { clock: fake.clock })`).
 * Virtual (`startFakeDigitalOcean({ clock: "virtual" })`), time moves only when the test says:
 * start the work, then `await fake.clock.advance(ms)` or `await fake.clock.runUntilIdle()`; with
 * `clock: "auto"` (or after `autoAdvance()`) it moves by itself whenever nothing else is going on.
 */
export interface FakeClock {
  /** True for the virtual clock. */
  readonly virtual: boolean;
  /** The clock's time, epoch ms. */
  now(): number;
  /** Resolves after `ms` of the clock's time, or rejects with an `AbortError` as soon as `signal` fires. */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
  /** Counts `work` (a client's request) in flight: the virtual clock does not move until it settles. Returns `work`. */
  track<T>(work: Promise<T>): Promise<T>;
  /**
   * Moves time forward by `ms`, firing every timer due on the way in order, and lets the work in
   * flight (requests the fake serves, answers on their way, the sleeps they lead to) finish
   * before each timer. Virtual clock only.
   */
  advance(ms: number): Promise<void>;
  /**
   * Waits for the work in flight, then fires timers in time order until none is left (every wait
   * finished or failed). Virtual clock only.
   */
  runUntilIdle(): Promise<void>;
  /**
   * Lets time move by itself: whenever no request is in flight and nothing else is pending, the
   * clock jumps to the next timer and fires it, so a test awaits its code with no clock calls.
   * Returns what stops it. Virtual clock only.
   */
  autoAdvance(): () => void;
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
  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    return delay(ms, signal);
  }
  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
  advance(): Promise<void> {
    return Promise.reject(realTime("advance"));
  }
  runUntilIdle(): Promise<void> {
    return Promise.reject(realTime("runUntilIdle"));
  }
  autoAdvance(): () => void {
    throw realTime("autoAdvance");
  }
}

function realTime(method: string): TypeError {
  return new TypeError(`fake.clock.${method}: this fake runs on real time; start it with { clock: "virtual" } or { clock: "auto" }`);
}

/** How many timers `runUntilIdle` fires before it decides something reschedules itself forever. */
const MAX_TIMERS_PER_RUN = 100_000;
/** How long (real time) work may stay in flight before time moves on without it: it hangs. */
const HUNG_WORK_IN_MS = 2000;

/**
 * Virtual time, shared by the fake and the clients wired to it. Timers wait for `advance` /
 * `runUntilIdle` (or fire by themselves under `autoAdvance`); before each timer the clock waits
 * until nothing is in flight (the clients' requests, tracked from the call to the parsed answer,
 * and the fake's own, from arrival to the answer's last byte) and an I/O turn brings nothing new,
 * so a waiter sees each step as it would in real time and its next sleep is scheduled first.
 */
export class VirtualClock implements FakeClock, FakeTimers, Clock {
  readonly virtual = true;
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();
  /** Work in flight, less the tracked work that waits on this clock (`park`). */
  #busy = 0;
  /** Called when `#busy` drops to 0, a timer is added or auto-advancing stops: what a settling or auto-advancing clock waits for. */
  readonly #wakers = new Set<() => void>();
  /** The running auto-advance loop's switch. */
  #auto: { stopped: boolean } | undefined;

  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(ms: number, callback: () => void): () => void {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fire: callback };
    this.#timers.add(timer);
    this.#notify();
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
    this.#hold(work, 1);
    return work;
  }

  /** Tracked work that now waits for `wait`, which only this clock's time ends: not in flight until `wait` settles. */
  park<T>(wait: Promise<T>): Promise<T> {
    this.#hold(wait, -1);
    return wait;
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

  autoAdvance(): () => void {
    // One loop per clock: a second call shares the running one.
    if (this.#auto === undefined) {
      this.#auto = { stopped: false };
      void this.#autoLoop(this.#auto);
    }
    const auto = this.#auto;
    return () => this.#stopAuto(auto);
  }

  /** Drops every timer (on the fake's reset and close). */
  cancelAll(): void {
    this.#timers.clear();
  }

  /** Stops auto-advancing (on the fake's close). */
  stop(): void {
    if (this.#auto) this.#stopAuto(this.#auto);
  }

  #stopAuto(auto: { stopped: boolean }): void {
    auto.stopped = true;
    if (this.#auto === auto) this.#auto = undefined;
    this.#notify();
  }

  async #autoLoop(auto: { stopped: boolean }): Promise<void> {
    while (!auto.stopped) {
      await this.#settle();
      if (auto.stopped) return;
      const next = this.#next();
      // Nothing scheduled: sleep (holding no handle, so the process may exit) until something is.
      if (next === undefined) await new Promise<void>((resolve) => this.#wakers.add(resolve));
      else this.#fire(next);
    }
  }

  #hold(work: Promise<unknown>, count: 1 | -1): void {
    this.#busy += count;
    const done = (): void => {
      this.#busy -= count;
      if (this.#busy <= 0) this.#notify();
    };
    work.then(done, done);
  }

  #notify(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const wake of wakers) wake();
  }

  async #run(until: number): Promise<void> {
    for (let fired = 0; ; fired++) {
      await this.#settle();
      const next = this.#next();
      if (next === undefined || next.at > until) return;
      if (fired >= MAX_TIMERS_PER_RUN) throw new Error(`fake.clock: more than ${MAX_TIMERS_PER_RUN} timers fired; something reschedules itself forever`);
      this.#fire(next);
    }
  }

  #fire(timer: Timer): void {
    this.#timers.delete(timer);
    this.#now = Math.max(this.#now, timer.at);
    timer.fire();
  }

  #next(): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.#timers) if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    return next;
  }

  /**
   * Waits until nothing is in flight across an I/O turn: a macrotask boundary (setImmediate) runs
   * every microtask first, so an answer's continuation has scheduled its next sleep or request.
   */
  async #settle(): Promise<void> {
    for (;;) {
      await turn();
      if (this.#busy > 0) {
        // Work that hangs (a stalled answer) must not stop time: its waiter's timeout is what ends it.
        if (await this.#quietWithin(HUNG_WORK_IN_MS)) continue;
        return;
      }
      await turn();
      if (this.#busy <= 0) return;
    }
  }

  /** True once nothing is in flight, false when something still is after `ms` of real time. */
  async #quietWithin(ms: number): Promise<boolean> {
    const started = Date.now();
    while (this.#busy > 0) {
      const left = ms - (Date.now() - started);
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      let wake: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        this.#wakers.add(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      if (wake) this.#wakers.delete(wake);
    }
    return true;
  }
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
