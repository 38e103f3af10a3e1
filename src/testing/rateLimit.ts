/** The rate limit's settings: DigitalOcean's burst limit is 250 requests a minute. */
export interface RateLimitOptions {
  /** Requests allowed within any window. Default 250. */
  limit?: number;
  /** The window's length. Default 60 000 ms. */
  windowInMs?: number;
}

/** What the `ratelimit-*` headers say after a request was counted (or refused). */
export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** Unix seconds when the oldest counted request leaves the window. */
  resetAt: number;
  /** Set when the request was refused: seconds until a slot frees up. */
  retryAfterSeconds?: number;
}

/**
 * A sliding window, as DigitalOcean's is: each request counts until `windowInMs` after it was made,
 * so `remaining` counts down request by request and recovers as old requests expire.
 */
export class RateLimiter {
  private readonly limit: number;
  private readonly windowInMs: number;
  /** Times of the requests still in the window, oldest first. */
  private readonly recent: number[] = [];

  constructor(options: RateLimitOptions = {}) {
    this.limit = options.limit ?? 250;
    this.windowInMs = options.windowInMs ?? 60_000;
  }

  /** Counts one request, unless the window is full: then it is refused and not counted. */
  take(now: number = Date.now()): RateLimitReading {
    this.expire(now);
    const refused = this.recent.length >= this.limit;
    if (!refused) this.recent.push(now);
    const reading = this.read(now);
    if (refused) reading.retryAfterSeconds = Math.max(1, Math.ceil(((this.recent[0] ?? now) + this.windowInMs - now) / 1000));
    return reading;
  }

  /** The headroom as it stands, without counting a request (for answers that are not counted, such as injected faults). */
  peek(now: number = Date.now()): RateLimitReading {
    this.expire(now);
    return this.read(now);
  }

  private expire(now: number): void {
    while (this.recent.length > 0 && this.recent[0]! <= now - this.windowInMs) this.recent.shift();
  }

  private read(now: number): RateLimitReading {
    const oldest = this.recent[0] ?? now;
    return { limit: this.limit, remaining: this.limit - this.recent.length, resetAt: Math.ceil((oldest + this.windowInMs) / 1000) };
  }

  reset(): void {
    this.recent.length = 0;
  }
}
