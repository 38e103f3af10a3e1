import { onAbort } from "../core/abortListener.js";
import { systemClock, type Clock } from "../core/clock.js";
import { AbortError } from "../core/errors.js";
import { log } from "../pipeline/logger.js";
import type { AbortSignalLike } from "@azure/abort-controller";
import { MemoryRateLimitStore } from "./memoryStore.js";
import type { WindowDemand } from "./rules.js";
import type { AcquireRequest, AcquireResult, Observation, RateLimitStore } from "./store.js";

/** Interactive calls go before background work (waiters, later pages, calls marked `priority: "background"`). */
export type CallPriority = "interactive" | "background";

/** A call that got its slot: how long it queued, and the store's clock and name for its entries. */
export interface Slot {
  readonly waitedInMs: number;
  readonly sentAt: number;
  readonly slot: string;
}

/** One call's claim on the budget. */
export interface SlotRequest {
  readonly demands: readonly WindowDemand[];
  readonly priority: CallPriority;
  /** Share of every limit background calls leave to interactive ones. */
  readonly reserve: number;
  /** A call that would queue longer fails (`tooLong`): at once, or as soon as its wait grows past it. */
  readonly maxQueueWaitInMs: number;
  /** The attempt's timeout, 0 for none: a call that would queue past it fails (`timedOut`). */
  readonly timeoutInMs: number;
  readonly abortSignal: AbortSignalLike | undefined;
}

/** The errors a call that cannot get its slot in time fails with. */
export interface QueueFailures {
  /** The wait would exceed `maxQueueWaitInMs`; `waitInMs` is the store's estimate. */
  tooLong(waitInMs: number): Error;
  /** The wait would exceed the attempt's `timeoutInMs`. */
  timedOut(): Error;
}

interface Waiter {
  readonly request: SlotRequest;
  /** When the call must have its slot or fail (the queue's clock time). */
  readonly deadline: number;
  grant(result: AcquireResult): void;
  fail(error: unknown): void;
  /** Fails the call because its wait (at least `waitInMs` from now) goes past its deadline. */
  expire(waitInMs: number): void;
}

/** One token's queue in this process. */
class Queue {
  readonly interactive: Waiter[] = [];
  readonly background: Waiter[] = [];
  /** Aborts the pending round's sleep. */
  timer: AbortController | undefined;
  /** When `timer` fires. */
  timerAt = 0;
  pumping = false;
  /** When the store last said the next call could go. */
  nextFreeAt = 0;

  get size(): number {
    return this.interactive.length + this.background.length;
  }

  remove(waiter: Waiter): boolean {
    for (const list of [this.interactive, this.background]) {
      const index = list.indexOf(waiter);
      if (index !== -1) {
        list.splice(index, 1);
        return true;
      }
    }
    return false;
  }

  /** The earliest deadline of the calls waiting (Infinity when none). */
  earliestDeadline(): number {
    let earliest = Infinity;
    for (const list of [this.interactive, this.background]) for (const waiter of list) earliest = Math.min(earliest, waiter.deadline);
    return earliest;
  }

  /** Stops the timer once nothing waits, so that a queue emptied by aborts keeps no process alive. */
  stopIfEmpty(): void {
    if (this.size > 0 || this.pumping) return;
    this.timer?.abort();
    this.timer = undefined;
  }
}

/** setTimeout fires at once for longer delays: a wait of many windows is re-checked after this. */
const MAX_TIMER_DELAY_IN_MS = 2_147_483_647;

/** What the limiter knows locally about one token's budget. */
export interface QueueView {
  /** Calls of this process waiting for a slot. */
  readonly queued: number;
  /** When the store last said the next call could go (now, when nothing waits). */
  readonly nextFreeSlotAt: Date;
}

/**
 * Makes calls wait for a slot in a store's windows: per token, interactive calls first, then
 * background ones, each in arrival order. Only the calls at the front ask the store; a call blocked
 * by a route's own window lets the calls behind it through, one blocked by a window every call
 * counts in stops the round. A call whose estimated wait exceeds its `maxQueueWaitInMs` (or its
 * timeout) is refused before it queues; a queued one fails as soon as its wait grows past them (a
 * 429 arrived, others went first), and a round runs by the earliest deadline at the latest, so
 * the limit holds for every queued call.
 */
export class SlotQueue {
  readonly #store: RateLimitStore;
  readonly #clock: Clock;
  readonly #queues = new Map<string, Queue>();
  /** The store methods whose failure was logged and that have not worked since: one warning per outage, not per call. */
  readonly #failing = new Set<"acquire" | "observe" | "release">();
  /** Whether the store can keep a call waiting (Redis); the in-process store answers within a microtask. */
  readonly #remote: boolean;

  /** `clock` is the store's time, which deadlines are kept in and rounds sleep on; default real time. */
  constructor(store: RateLimitStore, clock: Clock = systemClock) {
    this.#store = store;
    this.#clock = clock;
    this.#remote = !(store instanceof MemoryRateLimitStore);
  }

  /**
   * Resolves once the call may be sent; rejects with `failures.tooLong(waitInMs)` or
   * `failures.timedOut()` when it would get its slot after `maxQueueWaitInMs` or its timeout (at
   * once, or as soon as a queued call's wait grows past them), or `AbortError`.
   */
  async take(key: string, request: SlotRequest, failures: QueueFailures): Promise<Slot> {
    const clock = this.#clock;
    const startedAt = clock.now();
    const queue = this.#queue(key);
    const ahead = request.priority === "interactive" ? queue.interactive.length : queue.size;
    const reserve = request.priority === "background" ? request.reserve : 0;
    const first = await this.#ask(key, { demands: request.demands, ahead, reserve }, request.abortSignal);
    if (first.waitInMs === 0 && ahead === 0) return { waitedInMs: 0, sentAt: first.now, slot: first.slot };
    queue.nextFreeAt = Math.max(queue.nextFreeAt, clock.now() + first.waitInMs);
    const queueDeadline = startedAt + request.maxQueueWaitInMs;
    const timeoutDeadline = request.timeoutInMs > 0 ? startedAt + request.timeoutInMs : Infinity;
    const failure = (waitInMs: number): Error => (timeoutDeadline < queueDeadline ? failures.timedOut() : failures.tooLong(waitInMs));
    const deadline = Math.min(queueDeadline, timeoutDeadline);
    if (clock.now() + first.waitInMs > deadline) throw failure(first.waitInMs);
    if (request.abortSignal?.aborted) throw new AbortError();
    const queued = new Promise<Slot>((resolve, reject) => {
      // One listener per signal however many calls share it (core/abortListener.ts).
      const unsubscribe = request.abortSignal ? onAbort(request.abortSignal, () => {
        if (!queue.remove(waiter)) return;
        queue.stopIfEmpty();
        reject(new AbortError());
      }) : undefined;
      const waiter: Waiter = {
        request,
        deadline,
        grant(result) {
          unsubscribe?.();
          resolve({ waitedInMs: clock.now() - startedAt, sentAt: result.now, slot: result.slot });
        },
        fail(error) {
          unsubscribe?.();
          reject(error);
        },
        expire(waitInMs) {
          unsubscribe?.();
          reject(failure(waitInMs));
        },
      };
      (request.priority === "interactive" ? queue.interactive : queue.background).push(waiter);
      // A running round schedules the next itself; otherwise the timer must fire by this call's deadline.
      if (!queue.pumping && (queue.timer === undefined || queue.timerAt > deadline)) this.#schedule(key, queue, first.waitInMs);
    });
    // A queued call waits for the clock alone: a virtual clock must move on, not wait for it.
    return clock.park?.(queued) ?? queued;
  }

  /**
   * Passes a response's lessons to the store, then lets the waiting calls ask again. The response
   * already went back to the caller (the server executed the call): a store that fails, by
   * throwing or rejecting, is logged, never the call's failure.
   */
  observe(key: string, observation: Observation): void {
    let pending: void | Promise<void>;
    try {
      pending = this.#store.observe(key, observation);
    } catch (error) {
      this.#storeFailed("observe", error);
      return;
    }
    if (pending === undefined) return this.#observed(key);
    pending.then(() => this.#observed(key), (error: unknown) => this.#storeFailed("observe", error));
  }

  #observed(key: string): void {
    this.#failing.delete("observe");
    this.nudge(key);
  }

  /** A response changed the budget (a raised limit, fewer entries counted): waiting calls ask again now. */
  nudge(key: string): void {
    const queue = this.#queues.get(key);
    if (queue === undefined || queue.size === 0 || queue.pumping) return;
    queue.timer?.abort();
    queue.timer = undefined;
    void this.#pump(key, queue);
  }

  /** The local view of `key`'s budget. */
  view(key: string): QueueView {
    const queue = this.#queues.get(key);
    const now = this.#clock.now();
    return { queued: queue?.size ?? 0, nextFreeSlotAt: new Date(Math.max(now, queue?.nextFreeAt ?? now)) };
  }

  /**
   * The store's answer, or `AbortError` as soon as the call's signal fires: a store slow to answer
   * (Redis under load, up to its command timeout) must not hold up an abort or `close()`. A slot
   * the store records after the abort is released, since that call is never sent. A store that
   * fails (throws, synchronously too, or rejects) fails open, as tsdo/redis does when Redis is
   * unreachable: the call goes unpaced, with a warning, rather than failing on a pacing aid.
   */
  #ask(key: string, request: AcquireRequest, signal: AbortSignalLike | undefined): Promise<AcquireResult> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    // Unrecorded: the store holds no entry of it, so there is nothing to release either.
    const unpaced = (): AcquireResult => ({ waitInMs: 0, general: false, now: this.#clock.now(), slot: "" });
    const answer = this.#acquire(key, request);
    // Racing an answer that comes at once costs a promise and a listener per request for nothing.
    if (signal === undefined || !this.#remote) return answer.then((result) => result ?? unpaced());
    return new Promise<AcquireResult>((resolve, reject) => {
      let aborted = false;
      // One listener per signal however many calls share it (core/abortListener.ts).
      const unsubscribe = onAbort(signal, () => {
        aborted = true;
        reject(new AbortError());
      });
      void answer.then((result) => {
        unsubscribe();
        if (!aborted) resolve(result ?? unpaced());
        else if (result?.waitInMs === 0 && request.ahead === 0) this.#release(key, request.demands, result);
      });
    });
  }

  /** `store.acquire`, or `undefined` (logged) when the store throws or rejects; never rejects itself. */
  async #acquire(key: string, request: AcquireRequest): Promise<AcquireResult | undefined> {
    try {
      const result = await this.#store.acquire(key, request);
      this.#failing.delete("acquire");
      return result;
    } catch (error) {
      this.#storeFailed("acquire", error);
      return undefined;
    }
  }

  /** Gives back a slot recorded for a call that will not be sent, when the store can. */
  #release(key: string, demands: readonly WindowDemand[], result: AcquireResult): void {
    if (this.#store.release === undefined) return;
    try {
      const pending = this.#store.release(key, { sentAt: result.now, slot: result.slot, demands });
      if (pending !== undefined) pending.then(() => this.nudge(key), (error: unknown) => this.#storeFailed("release", error));
      else this.nudge(key);
    } catch (error) {
      this.#storeFailed("release", error);
    }
  }

  #storeFailed(method: "acquire" | "observe" | "release", error: unknown): void {
    if (this.#failing.has(method)) return;
    this.#failing.add(method);
    // The error's name only: a store's message may hold a connection string.
    log("warning", `rate limit: the store's ${method} failed (${error instanceof Error ? error.name : "error"}); ${method === "acquire" ? "calls go unpaced" : "the call is unaffected"} until it works again`);
  }

  #queue(key: string): Queue {
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = new Queue();
      this.#queues.set(key, queue);
    }
    return queue;
  }

  /** Runs the next round after `waitInMs`, or sooner when a waiting call's deadline comes first. */
  #schedule(key: string, queue: Queue, waitInMs: number): void {
    queue.timer?.abort();
    const now = this.#clock.now();
    // At least 1 ms: a slot computed as "now" by a store whose clock is a hair behind ours would spin.
    const delay = Math.min(MAX_TIMER_DELAY_IN_MS, Math.max(1, Math.ceil(Math.min(waitInMs, queue.earliestDeadline() - now))));
    queue.timerAt = now + delay;
    const timer = (queue.timer = new AbortController());
    this.#clock.sleep(delay, timer.signal).then(
      () => {
        queue.timer = undefined;
        void this.#pump(key, queue);
      },
      () => undefined, // replaced or stopped
    );
  }

  /**
   * One round: asks the store for each call in order, grants those that fit, fails those whose wait
   * goes past their deadline, and schedules the next round for the earliest slot or deadline.
   */
  async #pump(key: string, queue: Queue): Promise<void> {
    if (queue.pumping) return;
    queue.pumping = true;
    let nextWait = Infinity;
    try {
      round: for (const list of [queue.interactive, queue.background]) {
        for (let i = 0; i < list.length; ) {
          const waiter = list[i]!;
          const previous = i > 0 ? list[i - 1] : undefined;
          let result: AcquireResult | undefined;
          try {
            result = await this.#ask(key, { demands: waiter.request.demands, ahead: 0, reserve: waiter.request.priority === "background" ? waiter.request.reserve : 0 }, waiter.request.abortSignal);
          } catch {
            // Only an abort rejects `#ask` (its late slot is released there).
            result = undefined;
          }
          // Calls may have left the list while the store answered (aborts): find this one again.
          i = list.indexOf(waiter);
          if (i === -1) {
            // Aborted after the store recorded its slot: it is never sent, so the slot goes back.
            if (result?.waitInMs === 0) this.#release(key, waiter.request.demands, result);
            i = previous === undefined ? 0 : list.indexOf(previous) + 1;
            continue;
          }
          if (result === undefined) {
            list.splice(i, 1);
            waiter.fail(new AbortError());
            continue;
          }
          if (result.waitInMs === 0) {
            list.splice(i, 1);
            waiter.grant(result);
            continue;
          }
          if (this.#clock.now() + result.waitInMs > waiter.deadline) {
            list.splice(i, 1);
            waiter.expire(result.waitInMs);
            continue;
          }
          nextWait = Math.min(nextWait, result.waitInMs);
          if (result.general) {
            // Every call behind this one waits at least as long: those whose deadline comes first fail now.
            const slotAt = this.#clock.now() + result.waitInMs;
            expireFrom(list, i + 1, slotAt, result.waitInMs);
            if (list === queue.interactive) expireFrom(queue.background, 0, slotAt, result.waitInMs);
            break round;
          }
          i++;
        }
      }
    } finally {
      queue.pumping = false;
    }
    // The queue object stays (one per token): a call between `#queue` and its push must find it.
    if (queue.size === 0) return;
    queue.nextFreeAt = this.#clock.now() + (Number.isFinite(nextWait) ? nextWait : 0);
    this.#schedule(key, queue, Number.isFinite(nextWait) ? nextWait : 1);
  }
}

/** Fails the calls of `list` from `start` on whose deadline comes before a slot at `slotAt` (`waitInMs` from now). */
function expireFrom(list: Waiter[], start: number, slotAt: number, waitInMs: number): void {
  let kept = start;
  for (let i = start; i < list.length; i++) {
    const waiter = list[i]!;
    if (slotAt > waiter.deadline) waiter.expire(waitInMs);
    else list[kept++] = waiter;
  }
  list.length = kept;
}
