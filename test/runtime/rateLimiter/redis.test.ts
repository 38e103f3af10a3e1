// The Redis store against a real redis-server: shared budgets, Redis TIME as the clock, keys per
// token hash that expire, and fail-open when Redis goes away.
import { AzureLogger, setLogLevel } from "@azure/logger";
import assert from "node:assert/strict";
import { createClient } from "redis";
import { RedisRateLimitStore } from "../../../src/redis/index.js";
import { DIGITALOCEAN_RATE_LIMITS, type RateLimitWindow, type WindowDemand } from "../../../src/rateLimiter/rules.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../../src/testing/index.js";
import { startRedisOrSkip, type TestRedis } from "../../support/redis.js";

const WINDOW: RateLimitWindow = { name: "hour", limit: 4, windowInMs: 2_000 };
const demands: WindowDemand[] = [{ window: WINDOW, cost: 1, general: true }];
const take = (store: RedisRateLimitStore, key = "k", ahead = 0) => store.acquire(key, { demands, ahead, reserve: 0 });

describe("tsdo/redis: RedisRateLimitStore on a real Redis", function () {
  this.timeout(15_000);
  let redis: TestRedis;
  let connections: Array<{ isOpen: boolean; destroy(): void }> = [];

  async function connect(url = redis.url) {
    const client = createClient({ url, socket: { reconnectStrategy: 50 } });
    // node-redis reconnects by itself; an unhandled 'error' event would end the process.
    client.on("error", () => {});
    await client.connect();
    connections.push(client);
    return client;
  }

  before(async function () {
    redis = await startRedisOrSkip(this);
  });
  afterEach(async () => {
    for (const client of connections) if (client.isOpen) client.destroy();
    connections = [];
  });
  after(async () => {
    await redis?.stop();
  });

  it("shares one budget between stores (processes), on Redis TIME", async () => {
    const [a, b] = [new RedisRateLimitStore(await connect()), new RedisRateLimitStore(await connect())];
    const key = `shared-${Date.now()}`;
    const results = [await take(a, key), await take(b, key), await take(a, key), await take(b, key)];
    assert.deepEqual(results.map((result) => result.waitInMs), [0, 0, 0, 0]);
    const refused = await take(b, key);
    // None answered (no observe): in flight, each holds its slot for up to two windows.
    assert.ok(refused.waitInMs > 3_800 && refused.waitInMs <= 4_000, `wait ${refused.waitInMs}`);
    assert.equal(refused.general, true);
    // `now` is Redis's clock, in milliseconds.
    assert.ok(Math.abs(refused.now - Date.now()) < 1_000);
    // A queued call's estimate: two ahead of it means the second slot after the next.
    assert.ok((await take(a, key, 2)).waitInMs > 3_700);
  });

  it("keys sorted sets by the budget key under one hash tag, and lets them expire with their window", async () => {
    const redisClient = await connect();
    const store = new RedisRateLimitStore(redisClient, { prefix: "test-expiry" });
    await take(store, "abc123");
    const keys = (await redisClient.keys("test-expiry:*")).sort();
    assert.deepEqual(keys, ["test-expiry:{abc123}:budget", "test-expiry:{abc123}:hour"]);
    for (const key of keys) {
      const ttl = await redisClient.pTTL(key);
      // Two windows: an entry in flight holds its slot until answered, for at most two.
      assert.ok(ttl > 0 && ttl <= 4_000, `${key} expires (ttl ${ttl})`);
    }
    assert.equal(await redisClient.type("test-expiry:{abc123}:hour"), "zset");
  });

  it("applies readings and 429 blocks for every process of the fleet", async () => {
    const [a, b] = [new RedisRateLimitStore(await connect()), new RedisRateLimitStore(await connect())];
    const key = `observe-${Date.now()}`;
    const first = await take(a, key);
    // The server counted 3 (2 by someone else): one slot left for the whole fleet.
    await a.observe(key, { reading: { limit: 4, remaining: 1, resetAtMs: Date.now() + 1_500 }, blockForMs: undefined, sentAt: first.now, slot: first.slot, demands });
    assert.equal((await take(b, key)).waitInMs, 0);
    assert.ok((await take(a, key)).waitInMs > 0);
    // A 429 seen by one process blocks them all.
    await b.observe(key, { reading: undefined, blockForMs: 10_000, sentAt: first.now, slot: "", demands });
    const blocked = await take(a, `${key}`);
    assert.ok(blocked.waitInMs > 9_000, `blocked for ${blocked.waitInMs}`);
  });

  it("fails open to in-process pacing with one warning when Redis goes away, and nothing hangs", async function () {
    const own = await startRedisOrSkip(this);
    const lines: string[] = [];
    const log = AzureLogger.log;
    AzureLogger.log = (...args: unknown[]) => lines.push(args.join(" "));
    setLogLevel("warning");
    try {
      const store = new RedisRateLimitStore(await connect(own.url), { commandTimeoutInMs: 200 });
      assert.equal((await take(store)).waitInMs, 0);
      await own.stop();
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 6 }, () => take(store)));
      assert.ok(Date.now() - started < 1_000, "answered without waiting on the dead connection");
      // In-process now, with the same window: 4 go at once, the rest wait.
      assert.deepEqual(results.map((result) => result.waitInMs > 0), [false, false, false, false, true, true]);
      assert.equal(store.failedOver, true);
      assert.equal(lines.filter((line) => line.includes("Redis is unreachable")).length, 1, lines.join("\n"));
    } finally {
      AzureLogger.log = log;
      setLogLevel();
      await own.stop();
    }
  });

  it("a lying ratelimit-limit costs bounded work: each acquire under 5 ms at the default limits, observes bounded by the configured limit", async () => {
    const redisClient = await connect();
    const store = new RedisRateLimitStore(redisClient, { prefix: "lying" });
    const defaults: WindowDemand[] = DIGITALOCEAN_RATE_LIMITS.windows.map((window) => ({ window, cost: 1, general: true }));
    const key = `lying-${Date.now()}`;
    const acquireMs: number[] = [];
    const observeMs: number[] = [];
    for (let i = 0; i < 60; i++) {
      let started = process.hrtime.bigint();
      const slot = await store.acquire(key, { demands: defaults, ahead: 0, reserve: 0 });
      acquireMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      // The header lies straight to the store (no policy in between): 200,000 an hour, spent, then all free again.
      const reading = { limit: 200_000, remaining: i % 2 === 0 ? 0 : 199_999, resetAtMs: Date.now() + 3_600_000 };
      started = process.hrtime.bigint();
      await store.observe(key, { reading, blockForMs: undefined, sentAt: slot.now, slot: slot.slot, demands: defaults });
      observeMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
    const figures = `acquire p50 ${percentile(acquireMs, 0.5).toFixed(2)} ms, p99 ${percentile(acquireMs, 0.99).toFixed(2)} ms; observe p50 ${percentile(observeMs, 0.5).toFixed(2)} ms, max ${Math.max(...observeMs).toFixed(2)} ms`;
    assert.equal(store.failedOver, false, figures);
    // Medians hold on a loaded machine; the tail only bounds scheduling noise (before: observes of 1-2 s).
    assert.ok(percentile(acquireMs, 0.5) < 5 && percentile(acquireMs, 0.99) < 100, figures);
    assert.ok(percentile(observeMs, 0.5) < 50, figures);
    // The log holds at most the believed limit (ten times the configured 5,000), never the header's 200,000.
    assert.ok((await redisClient.zCard(`lying:{${key}}:hour`)) <= 50_000);
    assert.equal(await redisClient.hGet(`lying:{${key}}:budget`, "serverLimit"), "50000");
  });

  describe("behind a client", () => {
    let fake: FakeDigitalOcean;
    before(async () => {
      fake = await startFakeDigitalOcean({ rateLimit: { windows: [{ name: "hour", limit: 6, windowInMs: 60_000 }], routes: [] } });
    });
    after(() => fake.close());

    it("two clients on one Redis store never overrun the fake, and the keys never hold the token", async () => {
      const redisClient = await connect();
      const options = {
        retryOptions: { maxRetries: 0 },
        rateLimitOptions: { windows: [{ name: "hour", limit: 6, windowInMs: 60_000 }], routes: [], maxQueueWaitInMs: 0, store: new RedisRateLimitStore(redisClient, { prefix: "clients" }) },
      };
      const clients = [createTestClient(fake, options), createTestClient(fake, { ...options, rateLimitOptions: { ...options.rateLimitOptions, store: new RedisRateLimitStore(await connect(), { prefix: "clients" }) } })];
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => clients[i % 2]!.account.get()));
      const refusals = outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => (outcome as PromiseRejectedResult).reason as { beforeSending?: boolean; statusCode?: number });
      assert.equal(outcomes.length - refusals.length, 6);
      // The two over budget were refused locally (maxQueueWaitInMs 0), never by the fake.
      assert.deepEqual(refusals.map((error) => [error.statusCode, error.beforeSending]), [[429, true], [429, true]]);
      assert.equal(fake.executionCount("account_get"), 6);
      const keys = await redisClient.keys("clients:*");
      assert.ok(keys.length > 0);
      for (const key of keys) assert.ok(!key.includes(fake.token), key);
    });
  });
});
