import type { AbortSignalLike } from "@azure/abort-controller";
import type { Clock } from "./clock.js";

/** Default share of DigitalOcean's burst limit (250 requests a minute) that a client's waiters may use together. */
export const DEFAULT_WAITER_POLLS_PER_MINUTE = 120;

/**
 * One schedule for every waiter of a client: each poll takes the next free slot, slots at least
 * `60 000 / pollsPerMinute` ms apart, so twenty waiters at once poll no faster than one would at
 * that pace, and the rest of the rate budget stays with the caller's own calls.
 */
export class PollSchedule {
  readonly #clock: Clock;
  readonly #spacingInMs: number;
  #nextFree = 0;

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
   * when the slot came, `false` when `latest` came first (the slot is then given back).
   */
  async slot(earliest: number, latest: number, signal: AbortSignalLike): Promise<boolean> {
    const at = Math.max(earliest, this.#nextFree, this.#clock.now());
    if (at > latest) {
      await this.#clock.sleep(Math.max(0, latest - this.#clock.now()), signal);
      return false;
    }
    this.#nextFree = at + this.#spacingInMs;
    await this.#clock.sleep(Math.max(0, at - this.#clock.now()), signal);
    return true;
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
