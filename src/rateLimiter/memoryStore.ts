import { SlidingLog, slotTime } from "./slidingLog.js";
import { MAX_LIMIT_RAISE, type AcquireRequest, type AcquireResult, type Observation, type RateLimitStore, type ServerReading, type SlotRelease } from "./store.js";
import type { WindowDemand } from "./rules.js";
import { brandClasses } from "../core/brand.js";

/** One token's budget: a log per window name, the server's view and any 429 block. */
interface Budget {
  readonly logs: Map<string, SlidingLog>;
  /** `ratelimit-limit` from the latest reading: the first window's limit once the server has said. */
  serverLimit: number | undefined;
  latest: ServerReading | undefined;
  blockedUntil: number;
}

/**
 * The in-process store: every client of the process with the same token shares one budget here
 * (the default store is one per process). The clock can be injected for tests.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #budgets = new Map<string, Budget>();
  readonly #now: () => number;

  /** `now` is the clock in milliseconds; default `Date.now`. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  acquire(key: string, request: AcquireRequest): AcquireResult {
    const now = this.#now();
    const budget = this.#budget(key);
    let waitUntil = budget.blockedUntil > now ? budget.blockedUntil : now;
    let general = waitUntil > now;
    const { demands } = request;
    for (let i = 0; i < demands.length; i++) {
      const demand = demands[i]!;
      const log = this.#log(budget, demand.window.name);
      const windowInMs = demand.window.windowInMs;
      const limit = effectiveLimit(demand, i === 0 ? budget.serverLimit : undefined, request.reserve);
      const count = log.count(now, windowInMs);
      const at = slotTime(now, count, limit, windowInMs, request.ahead + Math.min(demand.cost, limit) - 1, (index) => log.timeAt(index) + windowInMs);
      if (at > waitUntil) {
        waitUntil = at;
        general = demand.general;
      }
    }
    if (waitUntil > now || request.ahead > 0) return { waitInMs: waitUntil - now, general, now, slot: "" };
    // Recorded as in flight: stamped one window ahead, so the entry cannot expire before its
    // response moves it to when the server had counted it (however slow the answer).
    for (const demand of demands) this.#log(budget, demand.window.name).add(now + demand.window.windowInMs, unitsOf(demand));
    return { waitInMs: 0, general: false, now, slot: "" };
  }

  observe(key: string, observation: Observation): void {
    const now = this.#now();
    const budget = this.#budget(key);
    for (const demand of observation.demands) this.#log(budget, demand.window.name).restamp(observation.sentAt + demand.window.windowInMs, now, unitsOf(demand));
    if (observation.blockForMs !== undefined) budget.blockedUntil = Math.max(budget.blockedUntil, now + observation.blockForMs);
    const reading = observation.reading;
    if (reading === undefined || isStale(reading, budget.latest)) return;
    const [first, ...others] = observation.demands.filter((demand) => demand.general);
    if (first === undefined) return;
    budget.latest = reading;
    const limit = Math.min(reading.limit, first.window.limit * MAX_LIMIT_RAISE);
    budget.serverLimit = limit;
    const windowInMs = first.window.windowInMs;
    const log = this.#log(budget, first.window.name);
    const counted = Math.min(limit, reading.limit - reading.remaining);
    const local = log.count(now, windowInMs);
    if (counted > local) {
      // Someone else spends this token (doctl, Terraform, the control panel): take phantom entries,
      // at most the configured limit per reading, so that one answer's work stays bounded by the
      // configuration, never by a header; a raised limit's count is reached over a few readings.
      const missing = Math.min(counted - local, first.window.limit);
      const times = phantomTimes(missing, reading.resetAtMs - windowInMs, now, windowInMs, local > 0 ? log.timeAt(0) : Infinity);
      log.merge(times);
      for (const other of others) {
        const cutoff = now - other.window.windowInMs;
        this.#log(budget, other.window.name).merge(times.filter((time) => time > cutoff));
      }
      return;
    }
    // Fewer counted than we hold means the server has headroom we do not: it wins. Only requests
    // answered before this one was sent (and itself) must have been counted: those still in flight
    // then are stamped later than `sentAt`.
    const mustBeCounted = log.countBefore(observation.sentAt) + 1;
    if (counted < mustBeCounted) log.dropOldest(Math.min(mustBeCounted - counted, first.window.limit));
  }

  release(key: string, release: SlotRelease): void {
    const budget = this.#budgets.get(key);
    if (budget === undefined) return;
    for (const demand of release.demands) budget.logs.get(demand.window.name)?.remove(release.sentAt + demand.window.windowInMs, unitsOf(demand));
  }

  /** Forgets every budget (a test's fresh start). */
  clear(): void {
    this.#budgets.clear();
  }

  #budget(key: string): Budget {
    let budget = this.#budgets.get(key);
    if (budget === undefined) {
      budget = { logs: new Map(), serverLimit: undefined, latest: undefined, blockedUntil: 0 };
      this.#budgets.set(key, budget);
    }
    return budget;
  }

  #log(budget: Budget, name: string): SlidingLog {
    let log = budget.logs.get(name);
    if (log === undefined) {
      log = new SlidingLog();
      budget.logs.set(name, log);
    }
    return log;
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ MemoryRateLimitStore });

/**
 * The entries a request takes in a window: its cost, at most the window's limit. A cost above the
 * limit can never fit; it takes the whole window, and the work of recording it (here and in the
 * Lua scripts) stays bounded by the configuration, never by a request body.
 */
export function unitsOf(demand: WindowDemand): number {
  return Math.min(demand.cost, demand.window.limit);
}

/** The limit a request sees: the server's for the window its headers describe, less the interactive reserve. */
export function effectiveLimit(demand: WindowDemand, serverLimit: number | undefined, reserve: number): number {
  const limit = serverLimit ?? demand.window.limit;
  return reserve > 0 ? Math.max(1, Math.floor(limit * (1 - reserve))) : limit;
}

/**
 * Readings arrive out of order. The oldest counted request only gets younger, so a reading with an
 * earlier reset is older; with the same reset, remaining only falls, so a higher one is older.
 */
export function isStale(reading: ServerReading, latest: ServerReading | undefined): boolean {
  if (latest === undefined) return false;
  return reading.resetAtMs < latest.resetAtMs || (reading.resetAtMs === latest.resetAtMs && reading.remaining > latest.remaining);
}

/**
 * Where `missing` requests we did not make are put in the log. The server says its oldest counted
 * request was made at `oldestAt` (reset minus the window): one phantom goes there unless our own
 * oldest entry is older, and the rest are spread evenly up to `now`, as unknown requests would be.
 */
export function phantomTimes(missing: number, oldestAt: number, now: number, windowInMs: number, ownOldest: number): number[] {
  // A reset in the past or beyond one window is clock skew: keep the phantoms inside the window.
  const start = Math.min(Math.max(oldestAt, now - windowInMs + 1), now);
  const times: number[] = [];
  let left = missing;
  if (ownOldest > start) {
    times.push(start);
    left--;
  }
  for (let i = 1; i <= left; i++) times.push(start + ((now - start) * i) / left);
  return times;
}
