import type { AbortSignalLike } from "@azure/abort-controller";
import { onAbort } from "./abortListener.js";
import type { Clock } from "./clock.js";
import { AbortError } from "./errors.js";

/** Default share of DigitalOcean's burst limit (250 requests a minute) that a client's waiters may use together. */
export const DEFAULT_WAITER_POLLS_PER_MINUTE = 120;

/**
 * One schedule for every waiter of a client: polls are at least `60 000 / pollsPerMinute` ms apart,
 * so twenty waiters at once poll no faster than one would at that pace, and the rest of the rate
 * budget stays with the caller's own calls.
 *
 * A waiter holds a place only while its poll is due: it sleeps its own interval first, then joins
 * the line, and leaves it the moment it is aborted or its deadline comes. Slots are not booked
 * ahead, so neither a waiter that was aborted nor one sleeping a long interval holds up the others.
 */
export class PollSchedule {
  readonly #clock: Clock;
  readonly #spacingInMs: number;
  /** When the next slot is free: the last poll's slot plus the spacing. */
  #nextFree = 0;
  /** Waiters whose poll is due, each as what hands it the slot; first come first served (a Set keeps insertion order). */
  readonly #line = new Set<() => void>();
  /** Stops the loop that hands out slots; set exactly while the line is not empty. */
  #serving: AbortController | undefined;

  constructor(clock: Clock, pollsPerMinute: number = DEFAULT_WAITER_POLLS_PER_MINUTE) {
    if (typeof pollsPerMinute !== "number" || !Number.isFinite(pollsPerMinute) || pollsPerMinute <= 0) {
      throw new TypeError(`waiterPollsPerMinute must be a positive number (got ${String(pollsPerMinute)})`);
    }
    this.#clock = clock;
    this.#spacingInMs = 60_000 / pollsPerMinute;
  }

  /** The clock the schedule runs on. */
  get clock(): Clock {
    return this.#clock;
  }

  /**
   * Waits until `earliest` (epoch ms) and a free slot, but never past `latest`: resolves `true`
   * when the slot came, `false` when `latest` came first. An abort rejects with `AbortError`.
   */
  async slot(earliest: number, latest: number, signal: AbortSignalLike): Promise<boolean> {
    if (earliest > latest) {
      await this.#clock.sleep(Math.max(0, latest - this.#clock.now()), signal);
      return false;
    }
    await this.#clock.sleep(Math.max(0, earliest - this.#clock.now()), signal);
    if (this.#line.size === 0 && this.#clock.now() >= this.#nextFree) {
      this.#nextFree = this.#clock.now() + this.#spacingInMs;
      return true;
    }
    return this.#queue(latest, signal);
  }

  /** Joins the line until a slot is handed over (`true`), `latest` comes (`false`) or `signal` aborts. */
  #queue(latest: number, signal: AbortSignalLike): Promise<boolean> {
    if (signal.aborted) return Promise.reject(new AbortError());
    return new Promise((resolve, reject) => {
      const deadline = new AbortController();
      const leave = (): void => {
        this.#line.delete(turn);
        unsubscribe();
        deadline.abort();
        if (this.#line.size === 0) this.#stopServing();
      };
      const turn = (): void => {
        leave();
        resolve(true);
      };
      const unsubscribe = onAbort(signal, () => {
        leave();
        reject(new AbortError());
      });
      this.#clock.sleep(Math.max(0, latest - this.#clock.now()), deadline.signal).then(
        () => {
          leave();
          resolve(false);
        },
        // After a slot or an abort, a no-op; otherwise the clock ended the sleep itself (a closed
        // client's clock does), and the waiter ends with its error rather than waiting in line.
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
      this.#line.add(turn);
      this.#serve();
    });
  }

  /** Hands a slot to the first waiter in line every spacing, until the line is empty. */
  #serve(): void {
    if (this.#serving) return;
    const serving = new AbortController();
    this.#serving = serving;
    const loop = async (): Promise<void> => {
      for (;;) {
        await this.#clock.sleep(Math.max(0, this.#nextFree - this.#clock.now()), serving.signal);
        // A timer that fired as the line emptied: a newer loop may already serve the next waiters.
        const [first] = this.#line;
        if (serving.signal.aborted || first === undefined) return;
        this.#nextFree = this.#clock.now() + this.#spacingInMs;
        first();
      }
    };
    loop().catch(() => {
      // Stopped (the line emptied while it slept), or the clock ended the sleep itself: then the
      // next waiter to join starts a new loop.
      if (this.#serving === serving) this.#serving = undefined;
    });
  }

  #stopServing(): void {
    this.#serving?.abort();
    this.#serving = undefined;
  }
}

/**
 * The wait before poll number `attempt` (0-based): starts at `firstInMs`, grows by half each poll
 * up to `capInMs`, then ±20 % jitter so waiters started together drift apart.
 */
export function backoffInterval(attempt: number, firstInMs: number, capInMs: number, random: () => number = Math.random): number {
  const base = Math.min(capInMs, firstInMs * 1.5 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}
