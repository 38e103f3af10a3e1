import { brandClasses } from "../core/brand.js";

/** Settings of a client's retry budget; the defaults are AWS SDK v3's standard retry mode. */
export interface RetryBudgetOptions {
  /** Tokens in a full budget, and what it starts with; default 500. */
  capacity?: number | undefined;
  /** Tokens one retry spends; default 5. */
  retryCost?: number | undefined;
  /** Tokens a retry after an attempt timeout spends; default 10 (a timeout costs the server more). */
  timeoutRetryCost?: number | undefined;
  /** Tokens a call that succeeds at its first attempt gives back; default 1. */
  successRefund?: number | undefined;
}

/**
 * A client-wide quota on retries, so that an outage does not multiply the load on DigitalOcean: each
 * retry spends tokens, each success gives some back (a success after retries refunds its last retry's
 * cost, one at the first attempt refunds `successRefund`), never beyond `capacity`. When a retry
 * cannot be paid, the failure is returned at once instead of retried. With the defaults, 100 retries
 * in a row empty a full budget, and every 5 first-attempt successes pay for one more.
 */
export class RetryBudget {
  /** Tokens in a full budget. */
  readonly capacity: number;
  /** Tokens one retry spends. */
  readonly retryCost: number;
  /** Tokens a retry after an attempt timeout spends. */
  readonly timeoutRetryCost: number;
  /** Tokens a first-attempt success gives back. */
  readonly successRefund: number;
  #available: number;
  #refused = 0;

  constructor(options: RetryBudgetOptions = {}) {
    this.capacity = tokens(options.capacity, 500, "capacity");
    this.retryCost = tokens(options.retryCost, 5, "retryCost");
    this.timeoutRetryCost = tokens(options.timeoutRetryCost, 10, "timeoutRetryCost");
    this.successRefund = tokens(options.successRefund, 1, "successRefund");
    this.#available = this.capacity;
  }

  /** Tokens left now. */
  get available(): number {
    return this.#available;
  }

  /** Retries refused so far because the budget could not pay for them. */
  get refusedRetries(): number {
    return this.#refused;
  }

  /** Spends `cost` for one retry; `false` (and nothing spent) when fewer tokens are left. */
  trySpend(cost: number): boolean {
    if (cost > this.#available) {
      this.#refused++;
      return false;
    }
    this.#available -= cost;
    return true;
  }

  /** Gives `amount` back after a success, up to `capacity`. */
  refund(amount: number): void {
    this.#available = Math.min(this.capacity, this.#available + amount);
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ RetryBudget });

function tokens(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`retryBudget.${name} must be a non-negative number (got ${value})`);
  return value;
}
