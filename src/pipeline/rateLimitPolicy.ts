import { createHash, randomUUID } from "node:crypto";
import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import { isTokenCredential } from "../credential.js";
import { systemClock, type Clock } from "../core/clock.js";
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { pathOf, RateLimitError, TimeoutError } from "../core/errors.js";
import { isBackground } from "../core/priority.js";
import { parseRateLimit, retryAfterInMs } from "../core/rateLimit.js";
import { SlotQueue, type QueueView, type Slot } from "../rateLimiter/limiter.js";
import { MemoryRateLimitStore } from "../rateLimiter/memoryStore.js";
import { compileRules, DIGITALOCEAN_RATE_LIMITS, type RateLimitWindow, type RouteRateLimit, type WindowDemand } from "../rateLimiter/rules.js";
import { MAX_LIMIT_RAISE, type Observation, type RateLimitStore, type ServerReading } from "../rateLimiter/store.js";
import { setQueueWait } from "./queueWait.js";
import { DEFAULT_TIMEOUT_IN_MS } from "./timeoutPolicy.js";

/** Name of the rate-limit policy, for `pipeline.removePolicy({ name })`. */
export const rateLimitPolicyName = "tsdo-rate-limit";

/** The client's rate limiter: on by default, pacing calls to DigitalOcean's limits. */
export interface RateLimiterOptions {
  /** `false` sends without pacing (tsdo then only reacts to 429s). Default true. */
  enabled?: boolean | undefined;
  /** Windows every request counts in; the first is the one the `ratelimit-*` headers describe. Default DigitalOcean's hour and minute. */
  windows?: readonly RateLimitWindow[] | undefined;
  /** Per-route limits. Default DigitalOcean's (reserved IP creation, SSH key listing, CDN endpoints, CDN purges). */
  routes?: readonly RouteRateLimit[] | undefined;
  /** Where the logs live. Default one in-process store shared by every client of the process; `tsdo/redis` shares a fleet's. */
  store?: RateLimitStore | undefined;
  /** A call that would wait longer for a slot fails at once with `RateLimitError`. Default `retryOptions.maxRetryDelayInMs` (60 000). */
  maxQueueWaitInMs?: number | undefined;
  /** Share of every limit background calls leave to interactive ones, from 0 to below 1. Default 0.05. */
  interactiveReserve?: number | undefined;
}

/** The policy, with the local view `client.rateLimit` reports. */
export interface RateLimitPolicy extends PipelinePolicy {
  /** Queued calls and the next free slot for this client's token. */
  view(): QueueView;
}

/** What the pipeline factory passes besides the user's options. */
export interface RateLimitPolicyOptions extends RateLimiterOptions {
  /** The API credential: its token's hash names the budget. */
  credential: TokenCredential | KeyCredential;
  /**
   * Only requests to this base URL are paced (not the inference or agent hosts, nor presigned
   * downloads), and only answers from its origin correct the budget, which is keyed by origin and token.
   */
  endpoint: string;
  /** The client's per-attempt timeout (default 60 000, 0 for none): a call's time in the queue counts against it. */
  timeoutInMs?: number | undefined;
  /** The client's clock: without a `store` of the user's, the limiter counts and queues on it (a test's virtual clock). */
  clock?: Clock | undefined;
}

/** The store of every client that does not name one: one per process, so clients sharing a token share its budget. */
export const defaultRateLimitStore: MemoryRateLimitStore = new MemoryRateLimitStore();
const queues = new WeakMap<RateLimitStore, SlotQueue>();
/** The store of the clients on one clock of their own (a test's virtual clock): its time is that clock's. */
const clockStores = new WeakMap<Clock, MemoryRateLimitStore>();
const credentialKeys = new WeakMap<TokenCredential, string>();
/** A `ratelimit-reset` this far beyond its window is still clock skew and whole-second rounding, and is capped; further is a lie. */
const RESET_SKEW_IN_MS = 60_000;

/**
 * Paces requests to the API endpoint so that they do not earn a 429: each attempt waits for a slot
 * in every window it counts in, and every response's `ratelimit-*` headers (and 429s) correct the
 * store. It sits just inside the retry policy, so that retries take slots too (the server counts
 * them) and a 429 blocks the other calls as soon as it arrives, not after its call's retries.
 */
export function rateLimitPolicy(options: RateLimitPolicyOptions): RateLimitPolicy {
  const compiled = compileRules({ windows: options.windows ?? DIGITALOCEAN_RATE_LIMITS.windows, routes: options.routes ?? DIGITALOCEAN_RATE_LIMITS.routes });
  const maxQueueWaitInMs = nonNegative(options.maxQueueWaitInMs, 60_000, "maxQueueWaitInMs");
  const reserve = options.interactiveReserve ?? 0.05;
  if (!(reserve >= 0 && reserve < 1)) throw new RangeError(`rateLimitOptions.interactiveReserve must be at least 0 and below 1 (got ${reserve})`);
  // A store of the user's keeps its own time (Redis's TIME), so its queue sleeps in real time.
  const clock = options.store === undefined ? (options.clock ?? systemClock) : systemClock;
  const store = options.store ?? (clock === systemClock ? defaultRateLimitStore : storeOn(clock));
  let queue = queues.get(store);
  if (queue === undefined) queues.set(store, (queue = new SlotQueue(store, clock)));
  const slots = queue;
  const origin = new URL(options.endpoint).origin;
  const keyOf = budgetKeyOf(options.credential, origin);
  const base = options.endpoint + "/";
  const defaultTimeoutInMs = options.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS;

  return {
    name: rateLimitPolicyName,
    view: () => slots.view(keyOf()),
    async sendRequest(request, next) {
      const url = request.url;
      if (!url.startsWith(base)) return next(request);
      const key = keyOf();
      const queryStart = url.indexOf("?", base.length);
      const path = url.slice(base.length - 1, queryStart === -1 ? undefined : queryStart);
      const demands = compiled.demandsOf(request.method, path, request.body);
      const timeoutInMs = request.timeout > 0 ? request.timeout : defaultTimeoutInMs;
      const queuedAt = Date.now();
      const slot = await slots.take(
        key,
        {
          demands,
          priority: isBackground(request) ? "background" : "interactive",
          reserve,
          maxQueueWaitInMs,
          timeoutInMs,
          abortSignal: request.abortSignal,
        },
        {
          tooLong: (waitInMs) => RateLimitError.forQueueWait(request, waitInMs),
          timedOut: () =>
            new TimeoutError(`${request.method} ${pathOf(request.url)}: no rate-limit slot within timeoutInMs (${timeoutInMs} ms); nothing was sent`, timeoutInMs, { request }),
        },
      );
      setQueueWait(request, slot.waitedInMs);
      // The attempt gets what the queue left of its timeout (the timeout policy reads `request.timeout`),
      // in real time: on a virtual clock a minute in the queue takes milliseconds.
      const callerTimeout = request.timeout;
      if (timeoutInMs > 0 && slot.waitedInMs > 0) request.timeout = Math.max(1, timeoutInMs - Math.min(slot.waitedInMs, Date.now() - queuedAt));
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (error) {
        const failed = (error as { response?: PipelineResponse }).response;
        if (failed) observe(slots, key, origin, failed, slot, demands, clock);
        throw error;
      } finally {
        request.timeout = callerTimeout;
      }
      observe(slots, key, origin, response, slot, demands, clock);
      return response;
    },
  };
}

function observe(
  slots: SlotQueue,
  key: string,
  origin: string,
  response: PipelineResponse,
  slot: Slot,
  demands: readonly WindowDemand[],
  clock: Clock,
): void {
  // A redirect's target (another origin) answers for itself: its headers and 429s say nothing of
  // this budget. The request still reached the API first, so its entries are moved all the same.
  const fromOrigin = response.request.url.startsWith(origin + "/");
  const now = clock.now();
  const observation: Observation = {
    reading: fromOrigin ? trustedReading(response, demands[0]!.window, now) : undefined,
    // A 429 without retry-after still means "stop": a second's pause beats a stampede. A longer
    // hold than the longest window is a lie: after it, every window has room again.
    blockForMs: fromOrigin && response.status === 429 ? Math.min(retryAfterInMs(response, now) ?? 1000, longestWindowOf(demands)) : undefined,
    sentAt: slot.sentAt,
    slot: slot.slot,
    demands,
  };
  // Nothing to wait for: the response goes back to the caller at once. tsdo/redis keeps its own
  // failures to itself; a store of your own that fails (throws or rejects) is logged, never the
  // call's failure: the server executed the call, and a create failed here would be sent again.
  slots.observe(key, observation);
}

/**
 * A response's `ratelimit-*` headers as the store may apply them to `window` (the one they
 * describe), or `undefined` when they cannot describe it. The limit is believed up to
 * MAX_LIMIT_RAISE times the configured one, so that a lying header cannot make the log (memory,
 * Redis work) grow with it; remaining is read as the count it implies, within that limit; a reset
 * beyond the window is capped, and one far beyond it drops the reading, which would otherwise
 * make every later, sane reading look older than it (see `isStale`).
 */
export function trustedReading(response: PipelineResponse, window: RateLimitWindow, now: number): ServerReading | undefined {
  const reading = parseRateLimit(response);
  if (reading === undefined) return undefined;
  const latestReset = now + window.windowInMs;
  const resetAtMs = reading.resetAt.getTime();
  if (resetAtMs > latestReset + RESET_SKEW_IN_MS) return undefined;
  const limit = Math.min(Math.floor(reading.limit), window.limit * MAX_LIMIT_RAISE);
  if (!(limit >= 1)) return undefined;
  const counted = Math.min(limit, Math.max(0, Math.ceil(reading.limit - reading.remaining)));
  return { limit, remaining: limit - counted, resetAtMs: Math.min(resetAtMs, latestReset) };
}

function storeOn(clock: Clock): MemoryRateLimitStore {
  let store = clockStores.get(clock);
  if (store === undefined) clockStores.set(clock, (store = new MemoryRateLimitStore(() => clock.now())));
  return store;
}

function longestWindowOf(demands: readonly WindowDemand[]): number {
  let longest = 0;
  for (const { window, general } of demands) if (general) longest = Math.max(longest, window.windowInMs);
  return longest;
}

/**
 * The budget's key: a hash of the endpoint's origin and the token (never the token), so every
 * client with the same token and endpoint shares a budget, in this process or through a shared
 * store, and one token used against two endpoints has two. A TokenCredential's tokens change as
 * they refresh, so its budget is keyed by the credential object instead.
 */
function budgetKeyOf(credential: TokenCredential | KeyCredential, origin: string): () => string {
  const hash = (identity: string): string => createHash("sha256").update(`tsdo-rate-limit\0${origin}\0${identity}`).digest("hex").slice(0, 32);
  if (isTokenCredential(credential)) {
    let id = credentialKeys.get(credential);
    if (id === undefined) credentialKeys.set(credential, (id = `credential:${randomUUID()}`));
    const key = hash(id);
    return () => key;
  }
  let token: string | undefined;
  let key = "";
  return () => {
    const current = (credential as KeyCredential).key;
    if (current !== token) {
      token = current;
      key = hash(current);
    }
    return key;
  };
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`rateLimitOptions.${name} must be a non-negative number (got ${value})`);
  return value;
}
