import type { WindowDemand } from "./rules.js";

/**
 * How far above its configured limit a `ratelimit-limit` is believed. Further, the log's size (and
 * the work of one answer) would follow a header; DigitalOcean raises limits by far less.
 */
export const MAX_LIMIT_RAISE = 10;

/** What one acquire asks of a store. */
export interface AcquireRequest {
  /** The windows the request counts in, with their configured limits. */
  readonly demands: readonly WindowDemand[];
  /** Units queued ahead of this request in this process: when above 0 nothing is recorded, the wait is only estimated. */
  readonly ahead: number;
  /** Share of every limit kept free for interactive calls (0 for an interactive call). */
  readonly reserve: number;
}

/** A store's answer: the request was recorded (`waitInMs` 0), or how long until it would fit. */
export interface AcquireResult {
  /** 0 when the request was recorded and may go; otherwise how long until a slot frees up. */
  readonly waitInMs: number;
  /** For a wait: true when a window every request counts in (or a 429's block) is what is full. */
  readonly general: boolean;
  /** The store's clock when it answered, in milliseconds: readings are matched against it. */
  readonly now: number;
  /** Names the recorded entries for `observe` (a store may leave it empty and go by `now`). */
  readonly slot: string;
}

/** A response's `ratelimit-*` headers, as the store applies them. */
export interface ServerReading {
  /** `ratelimit-limit`: requests allowed in the hourly window. */
  readonly limit: number;
  /** `ratelimit-remaining`: requests the server will still accept in it. */
  readonly remaining: number;
  /** `ratelimit-reset` in milliseconds: when the oldest counted request expires. */
  readonly resetAtMs: number;
}

/** What a response taught about the budget. */
export interface Observation {
  /** The response's `ratelimit-*` headers, when it had them. */
  readonly reading: ServerReading | undefined;
  /** A 429 asked everyone to wait this long (`retry-after`). */
  readonly blockForMs: number | undefined;
  /** The store's clock when the request was recorded (`AcquireResult.now`), and its entries (`AcquireResult.slot`). */
  readonly sentAt: number;
  /** The request's entries, as `AcquireResult.slot` named them. */
  readonly slot: string;
  /**
   * The windows the request counted in. Its entries are moved to the time the response arrived:
   * the server counted it on arrival, after we recorded it, so its slot frees no earlier than that.
   * The first general window is the one the headers describe.
   */
  readonly demands: readonly WindowDemand[];
}

/** A slot the store recorded for a request that is never sent (its call was aborted while the store answered). */
export interface SlotRelease {
  /** `AcquireResult.now` of the acquire that recorded it. */
  readonly sentAt: number;
  /** `AcquireResult.slot` of that acquire. */
  readonly slot: string;
  /** The windows it was recorded in, as given to that acquire. */
  readonly demands: readonly WindowDemand[];
}

/**
 * Where a limiter keeps its sliding-window logs, keyed by a hash of the token: in this process
 * (`MemoryRateLimitStore`, the default) or shared by a fleet (`tsdo/redis`). Methods may answer
 * synchronously; the limiter awaits either.
 */
export interface RateLimitStore {
  /** Records the request in every window if all have room (and `ahead` is 0); else returns the wait. */
  acquire(key: string, request: AcquireRequest): AcquireResult | Promise<AcquireResult>;
  /** Corrects the logs from a response: server readings (stale ones ignored) and 429 blocks. */
  observe(key: string, observation: Observation): void | Promise<void>;
  /**
   * Optional: forgets a recorded slot whose request was never sent. Without it such a slot counts
   * as a request in flight would (for up to two windows).
   */
  release?(key: string, release: SlotRelease): void | Promise<void>;
}
