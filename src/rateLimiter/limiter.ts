import { AbortError } from "../core/errors.js";
import type { AbortSignalLike } from "@azure/abort-controller";
import type { WindowDemand } from "./rules.js";
import type { AcquireResult, RateLimitStore } from "./store.js";

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
  /** A call that would queue longer fails at once (`onTooLong`). */
  readonly maxQueueWaitInMs: number;
  readonly abortSignal: AbortSignalLike | undefined;
}

interface Waiter {
  readonly request: SlotRequest;
  grant(result: AcquireResult): void;
  fail(error: unknown): void;
}

/** One token's queue in this process. */
class Queue {
  readonly interactive: Waiter[] = [];
  readonly background: Waiter[] = [];
  timer: ReturnType<typeof setTimeout> | undefined;
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
}

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
 * counts in stops the round. A call whose estimated wait exceeds its `maxQueueWaitInMs` is refused
 * before it queues.
 */
export class SlotQueue {
  readonly #store: RateLimitStore;
  readonly #queues = new Map<string, Queue>();

  constructor(store: RateLimitStore) {
    this.#store = store;
  }

  /** Resolves once the call may be sent; rejects with `tooLong(waitInMs)` or `AbortError`. */
  async take(key: string, request: SlotRequest, tooLong: (waitInMs: number) => Error): Promise<Slot> {
    const queue = this.#queue(key);
    const ahead = request.priority === "interactive" ? queue.interactive.length : queue.size;
    const reserve = request.priority === "background" ? request.reserve : 0;
    const first = await this.#store.acquire(key, { demands: request.demands, ahead, reserve });
    if (first.waitInMs === 0 && ahead === 0) return { waitedInMs: 0, sentAt: first.now, slot: first.slot };
    queue.nextFreeAt = Math.max(queue.nextFreeAt, Date.now() + first.waitInMs);
    if (first.waitInMs > request.maxQueueWaitInMs) throw tooLong(first.waitInMs);
    if (request.abortSignal?.aborted) throw new AbortError();
    return new Promise<Slot>((resolve, reject) => {
      const queuedAt = Date.now();
      const onAbort = (): void => {
        if (queue.remove(waiter)) reject(new AbortError());
      };
      const waiter: Waiter = {
        request,
        grant(result) {
          request.abortSignal?.removeEventListener("abort", onAbort);
          resolve({ waitedInMs: Date.now() - queuedAt, sentAt: result.now, slot: result.slot });
        },
        fail(error) {
          request.abortSignal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      request.abortSignal?.addEventListener("abort", onAbort);
      (request.priority === "interactive" ? queue.interactive : queue.background).push(waiter);
      if (!queue.pumping && queue.timer === undefined) this.#schedule(key, queue, first.waitInMs);
    });
  }

  /** A response changed the budget (a raised limit, fewer entries counted): waiting calls ask again now. */
  nudge(key: string): void {
    const queue = this.#queues.get(key);
    if (queue === undefined || queue.size === 0 || queue.pumping) return;
    clearTimeout(queue.timer);
    queue.timer = undefined;
    void this.#pump(key, queue);
  }

  /** The local view of `key`'s budget. */
  view(key: string): QueueView {
    const queue = this.#queues.get(key);
    const now = Date.now();
    return { queued: queue?.size ?? 0, nextFreeSlotAt: new Date(Math.max(now, queue?.nextFreeAt ?? now)) };
  }

  #queue(key: string): Queue {
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = new Queue();
      this.#queues.set(key, queue);
    }
    return queue;
  }

  #schedule(key: string, queue: Queue, waitInMs: number): void {
    // At least 1 ms: a slot computed as "now" by a store whose clock is a hair behind ours would spin.
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.#pump(key, queue);
    }, Math.max(1, Math.ceil(waitInMs)));
  }

  async #pump(key: string, queue: Queue): Promise<void> {
    if (queue.pumping) return;
    queue.pumping = true;
    let nextWait = Infinity;
    try {
      round: for (const list of [queue.interactive, queue.background]) {
        for (let i = 0; i < list.length; ) {
          const waiter = list[i]!;
          let result: AcquireResult;
          try {
            result = await this.#store.acquire(key, { demands: waiter.request.demands, ahead: 0, reserve: waiter.request.priority === "background" ? waiter.request.reserve : 0 });
          } catch (error) {
            list.splice(i, 1);
            waiter.fail(error);
            continue;
          }
          if (result.waitInMs === 0) {
            list.splice(i, 1);
            waiter.grant(result);
            continue;
          }
          nextWait = Math.min(nextWait, result.waitInMs);
          if (result.general) break round;
          i++;
        }
      }
    } finally {
      queue.pumping = false;
    }
    // The queue object stays (one per token): a call between `#queue` and its push must find it.
    if (queue.size === 0) return;
    queue.nextFreeAt = Date.now() + (Number.isFinite(nextWait) ? nextWait : 0);
    this.#schedule(key, queue, Number.isFinite(nextWait) ? nextWait : 1);
  }
}
