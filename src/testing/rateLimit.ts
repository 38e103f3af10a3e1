import { compileRules, DIGITALOCEAN_RATE_LIMITS, type CompiledRules, type RateLimitRules, type RateLimitWindow, type RouteRateLimit } from "../rateLimiter/rules.js";
import { SlidingLog } from "../rateLimiter/slidingLog.js";

/**
 * The fake's limits, in the shape the client's limiter takes (`rateLimitOptions`): DigitalOcean's
 * by default, shrinkable for tests (`{ windows: [{ name: "hour", limit: 500, windowInMs: 20_000 }, …] }`).
 */
export interface RateLimitOptions {
  /** Windows every request counts in; the first is the one the `ratelimit-*` headers describe. Default 5,000/hour and 250/minute. */
  windows?: readonly RateLimitWindow[] | undefined;
  /** Per-route limits. Default DigitalOcean's: reserved IP creation, SSH key listing, CDN endpoints, CDN purge files. */
  routes?: readonly RouteRateLimit[] | undefined;
  /** Shorthand for one window of `limit` requests (per `windowInMs`, default a minute) and no per-route limits. */
  limit?: number | undefined;
  /** With `limit`: the one window's length. */
  windowInMs?: number | undefined;
}

/** What the `ratelimit-*` headers say after a request was counted (or refused). */
export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** Unix seconds when the oldest counted request leaves the first window. */
  resetAt: number;
  /** Set when the request was refused: seconds until a slot frees up. */
  retryAfterSeconds?: number;
}

/** The request as the limiter sees it. */
export interface RateLimitedRequest {
  method: string;
  /** Path under the API root, e.g. `/v2/account/keys`. */
  path: string;
  /** The raw body (a CDN purge's `files` are counted). */
  body: string;
}

/**
 * Sliding windows, as DigitalOcean's are: each request counts until `windowInMs` after it was made
 * in every window it falls under, so `remaining` counts down request by request and recovers as old
 * requests expire. A request that would overflow any window is refused (429) and counted in none.
 */
export class RateLimiter {
  /** The limits enforced: what `createTestClient` gives the client's limiter, so both count alike. */
  readonly limits: RateLimitRules;
  private readonly rules: CompiledRules;
  private readonly logs = new Map<string, SlidingLog>();

  constructor(options: RateLimitOptions = {}) {
    this.limits =
      options.limit !== undefined
        ? { windows: [{ name: "window", limit: options.limit, windowInMs: options.windowInMs ?? 60_000 }], routes: [] }
        : { windows: options.windows ?? DIGITALOCEAN_RATE_LIMITS.windows, routes: options.routes ?? DIGITALOCEAN_RATE_LIMITS.routes };
    this.rules = compileRules(this.limits);
  }

  /** Counts one request, unless a window it falls under is full: then it is refused and not counted. */
  take(request: RateLimitedRequest, now: number = Date.now()): RateLimitReading {
    const demands = this.rules.demandsOf(request.method.toUpperCase(), request.path, request.body);
    let freeAt = now;
    for (const { window, cost } of demands) {
      const log = this.log(window.name);
      const count = log.count(now, window.windowInMs);
      const overflow = count + cost - window.limit;
      // Freed once the `overflow` oldest entries expire (a purge larger than the window never fits).
      if (overflow > 0) freeAt = Math.max(freeAt, overflow > count ? now + window.windowInMs : log.timeAt(overflow - 1) + window.windowInMs);
    }
    if (freeAt > now) return { ...this.peek(now), retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    for (const { window, cost } of demands) this.log(window.name).add(now, cost);
    return this.peek(now);
  }

  /** The headroom as it stands, without counting a request (for answers that are not counted, such as injected faults). */
  peek(now: number = Date.now()): RateLimitReading {
    const window = this.limits.windows[0]!;
    const log = this.log(window.name);
    const count = log.count(now, window.windowInMs);
    const oldest = count > 0 ? log.timeAt(0) : now;
    return { limit: window.limit, remaining: window.limit - count, resetAt: Math.ceil((oldest + window.windowInMs) / 1000) };
  }

  reset(): void {
    this.logs.clear();
  }

  private log(name: string): SlidingLog {
    let log = this.logs.get(name);
    if (log === undefined) this.logs.set(name, (log = new SlidingLog()));
    return log;
  }
}
