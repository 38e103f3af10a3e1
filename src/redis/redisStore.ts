import { log } from "../pipeline/logger.js";
import { MemoryRateLimitStore, unitsOf } from "../rateLimiter/memoryStore.js";
import type { AcquireRequest, AcquireResult, Observation, RateLimitStore, SlotRelease } from "../rateLimiter/store.js";
import { ACQUIRE_SCRIPT, OBSERVE_SCRIPT, RELEASE_SCRIPT } from "./scripts.js";
import { brandClasses } from "../core/brand.js";

/**
 * The part of a node-redis client (`redis` ~6.3, `createClient()`) the store uses. Any client with
 * these methods works; a cluster client too, since every key of one budget shares a hash tag.
 */
export interface RedisScriptClient {
  /** False while disconnected: the store then goes in-process at once instead of queueing commands. */
  readonly isReady: boolean;
  /** Loads a Lua script, resolving with its SHA1. */
  scriptLoad(script: string): Promise<string>;
  /** Runs a loaded script (rejects with `NOSCRIPT` when Redis has forgotten it). */
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Options of `RedisRateLimitStore`. */
export interface RedisRateLimitStoreOptions {
  /** Prefix of every key. Default `tsdo:rate-limit`. */
  prefix?: string | undefined;
  /** A command that takes longer counts as Redis being unreachable. Default 1 000 ms. */
  commandTimeoutInMs?: number | undefined;
  /** After a failure, how long calls stay in-process before Redis is tried again. Default 5 000 ms. */
  retryInMs?: number | undefined;
}

/**
 * A rate-limit store shared by every process on one Redis: the sliding-window logs as sorted sets
 * per token hash, one atomic Lua script per acquire, Redis `TIME` as the one clock, and key expiry
 * so nothing outlives its window. When Redis is unreachable (down, not ready, too slow) it fails
 * open to an in-process store, logs one warning, and tries Redis again after `retryInMs`: calls go
 * on, paced as one process would pace them, and nothing waits on a dead connection.
 *
 * ```ts
 * const redis = createClient({ url: process.env.REDIS_URL });
 * redis.on("error", () => {}); // reconnects on its own; tsdo logs the outage
 * await redis.connect();
 * const client = new DigitalOceanClient(token, { rateLimitOptions: { store: new RedisRateLimitStore(redis) } });
 * ```
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: RedisScriptClient;
  readonly #prefix: string;
  readonly #timeoutInMs: number;
  readonly #retryInMs: number;
  readonly #fallback = new MemoryRateLimitStore();
  readonly #shas = new Map<string, Promise<string>>();
  /** Until when calls stay in-process after a failure (0: Redis is in use). */
  #downUntil = 0;
  #warned = false;

  constructor(client: RedisScriptClient, options: RedisRateLimitStoreOptions = {}) {
    this.#client = client;
    this.#prefix = options.prefix ?? "tsdo:rate-limit";
    this.#timeoutInMs = options.commandTimeoutInMs ?? 1000;
    this.#retryInMs = options.retryInMs ?? 5000;
  }

  /** Whether the last attempt found Redis unreachable, so calls are paced in this process alone. */
  get failedOver(): boolean {
    return this.#warned;
  }

  async acquire(key: string, request: AcquireRequest): Promise<AcquireResult> {
    const args = [String(request.ahead), String(request.reserve)];
    const keys = [this.#key(key, "budget")];
    for (const { window, cost, general } of request.demands) {
      keys.push(this.#key(key, window.name));
      args.push(String(window.limit), String(window.windowInMs), String(cost), general ? "1" : "0");
    }
    const reply = await this.#run(ACQUIRE_SCRIPT, keys, args);
    if (reply === undefined) return this.#fallback.acquire(key, request);
    const [waitInMs, general, now, slot] = reply as [string, number, string, string];
    return { waitInMs: Number(waitInMs), general: general === 1, now: Number(now), slot };
  }

  async observe(key: string, observation: Observation): Promise<void> {
    const { reading, demands } = observation;
    // The general windows first (the headers' one leading), then the routes'.
    const ordered = [...demands.filter((demand) => demand.general), ...demands.filter((demand) => !demand.general)];
    const keys = [this.#key(key, "budget"), ...ordered.map(({ window }) => this.#key(key, window.name))];
    const args = [
      observation.blockForMs === undefined ? "" : String(observation.blockForMs),
      ...(reading ? [String(reading.limit), String(reading.remaining), String(reading.resetAtMs)] : ["", "", ""]),
      String(observation.sentAt),
      observation.slot,
      String(ordered.filter((demand) => demand.general).length),
      String(ordered[0]!.window.limit),
      ...ordered.flatMap(({ window, cost }) => [String(window.windowInMs), String(cost), String(window.limit)]),
    ];
    if ((await this.#run(OBSERVE_SCRIPT, keys, args)) === undefined) this.#fallback.observe(key, observation);
  }

  async release(key: string, release: SlotRelease): Promise<void> {
    // An empty slot was recorded in-process (Redis was unreachable at the acquire).
    if (release.slot === "") return this.#fallback.release(key, release);
    const keys = release.demands.map(({ window }) => this.#key(key, window.name));
    await this.#run(RELEASE_SCRIPT, keys, [release.slot, ...release.demands.map((demand) => String(unitsOf(demand)))]);
  }

  /** Runs a script; `undefined` when Redis is unreachable (the caller goes in-process). */
  async #run(script: string, keys: string[], args: string[]): Promise<unknown> {
    if (Date.now() < this.#downUntil || !this.#client.isReady) return this.#down("not connected");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutInMs} ms`)), this.#timeoutInMs);
    });
    try {
      const reply = await Promise.race([this.#eval(script, keys, args), timeout]);
      if (this.#warned) log("info", "rate limit: Redis is back; the fleet's budget is shared again");
      this.#warned = false;
      return reply;
    } catch (error) {
      return this.#down(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  async #eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.#client.evalSha(await this.#sha(script), { keys, arguments: args });
    } catch (error) {
      // A restarted or flushed Redis forgets loaded scripts: load again, once.
      if (!String((error as Error)?.message).includes("NOSCRIPT")) throw error;
      this.#shas.delete(script);
      return this.#client.evalSha(await this.#sha(script), { keys, arguments: args });
    }
  }

  #sha(script: string): Promise<string> {
    let sha = this.#shas.get(script);
    if (sha === undefined) {
      sha = this.#client.scriptLoad(script);
      // A failed load must not stick: the next call loads again.
      sha.catch(() => this.#shas.delete(script));
      this.#shas.set(script, sha);
    }
    return sha;
  }

  #down(reason: string): undefined {
    if (!this.#warned) {
      log("warning", `rate limit: Redis is unreachable (${reason}); pacing in this process only until it is back`);
      this.#warned = true;
    }
    this.#downUntil = Date.now() + this.#retryInMs;
    return undefined;
  }

  /** Every key of one budget shares the `{hash}` tag, so a Lua script's keys sit on one cluster slot. */
  #key(budget: string, part: string): string {
    return `${this.#prefix}:{${budget}}:${part}`;
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ RedisRateLimitStore });
