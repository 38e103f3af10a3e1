/** DigitalOcean's rate-limit headroom, read from the `ratelimit-*` headers of a response. */
export interface RateLimit {
  /** Requests allowed per window (`ratelimit-limit`). */
  limit: number;
  /** Requests left in the current window (`ratelimit-remaining`). */
  remaining: number;
  /** When the window resets (`ratelimit-reset`, Unix seconds). */
  resetAt: Date;
}

/** `client.rateLimit`: the server's latest reading with the limiter's local view. */
export interface RateLimitStatus extends RateLimit {
  /** Calls of this process queued for a slot of this token's budget (0 with the limiter off). */
  queued: number;
  /** When the limiter expects the next call could go (now when nothing waits). */
  nextFreeSlotAt: Date;
}

/** Anything with headers that can be read by name: a `PipelineResponse` or its `headers`. */
export interface HeaderSource {
  /** The response's headers. */
  headers: {
    /** A header's value by (case-insensitive) name, `undefined` when absent. */
    get(name: string): string | undefined;
  };
}

/**
 * Reads `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset`. Returns `undefined` unless
 * all three are present and numeric: a partial reading would mislead callers that pace on it.
 */
export function parseRateLimit(response: HeaderSource): RateLimit | undefined {
  const limit = readNumber(response.headers.get("ratelimit-limit"));
  const remaining = readNumber(response.headers.get("ratelimit-remaining"));
  const reset = readNumber(response.headers.get("ratelimit-reset"));
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  return { limit, remaining, resetAt: new Date(reset * 1000) };
}

function readNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * How long a 429 asks the caller to wait, in milliseconds: `retry-after` (seconds or an HTTP date),
 * else until `ratelimit-reset`; `undefined` when the response says neither.
 */
export function retryAfterInMs(response: HeaderSource, now: number = Date.now()): number | undefined {
  const hinted = retryAfterHeaderInMs(response, now);
  if (hinted !== undefined) return hinted;
  const reset = readNumber(response.headers.get("ratelimit-reset"));
  return reset === undefined ? undefined : clampHint(reset * 1000 - now);
}

/**
 * The longest wait a server's hint is believed for: DigitalOcean's longest window (an hour). After
 * it every budget has room again, so a longer hint (`retry-after: 1e9`, a reset years ahead) is a
 * lie or a fault, and believing it would hold a caller for decades or make `retryAt` an invalid date.
 */
export const MAX_HINTED_WAIT_IN_MS = 3_600_000;

function clampHint(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_HINTED_WAIT_IN_MS);
}

/**
 * The `retry-after` header alone (seconds or an HTTP date), in milliseconds. A 503 is read with this
 * only: DigitalOcean sends `ratelimit-reset` on every answer, and it says nothing about an outage.
 */
export function retryAfterHeaderInMs(response: HeaderSource, now: number = Date.now()): number | undefined {
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter === undefined || retryAfter.trim() === "") return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return clampHint(seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : clampHint(date - now);
}
