// The limiter against stores that fail, are slow, or are handed a huge cost: a store's failure is
// never the failure of a call the server executed, a purge's cost is bounded by its window's limit
// (in memory and in Redis), and an abort or close() does not wait for a store's answer. Raw loopback
// servers and the test's own redis-server only.
import { AzureLogger, setLogLevel } from "@azure/logger";
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { createClient } from "redis";
import {
  ClientClosedError,
  DIGITALOCEAN_RATE_LIMITS,
  DigitalOceanClient,
  MemoryRateLimitStore,
  RateLimitError,
  type AcquireRequest,
  type AcquireResult,
  type DigitalOceanClientOptions,
  type Observation,
  type RateLimitStore,
  type RateLimitWindow,
  type SlotRelease,
} from "../../../src/index.js";
import { compileRules } from "../../../src/rateLimiter/rules.js";
import { RedisRateLimitStore } from "../../../src/redis/index.js";
import { httpServer, json, type RawServer } from "../../faults/servers.js";
import { startRedisOrSkip, type TestRedis } from "../../support/redis.js";

const TOKEN = "dop_v1_SECRETTOKEN0123456789";
const HOUR: RateLimitWindow = { name: "hour", limit: 100, windowInMs: 3_600_000 };
const PURGE_ID = "11111111-1111-1111-1111-111111111111";
const ok = (response: ServerResponse): void => json(response, 200, { account: {} });
const failureOf = (call: Promise<unknown>): Promise<unknown> => call.then(() => "resolved", (error: unknown) => error);

/** A memory store behind hooks: each method can throw, reject or answer late. */
class HookedStore implements RateLimitStore {
  readonly inner = new MemoryRateLimitStore();
  acquireHook: (answer: () => AcquireResult) => AcquireResult | Promise<AcquireResult> = (answer) => answer();
  observeHook: (apply: () => void) => void | Promise<void> = (apply) => apply();
  acquire(key: string, request: AcquireRequest): AcquireResult | Promise<AcquireResult> {
    return this.acquireHook(() => this.inner.acquire(key, request));
  }
  observe(key: string, observation: Observation): void | Promise<void> {
    return this.observeHook(() => this.inner.observe(key, observation));
  }
  release(key: string, release: SlotRelease): void {
    this.inner.release(key, release);
  }
}

describe("rate limiter stores: failures, bounded costs, aborts during an acquire", function () {
  this.timeout(20_000);
  let servers: RawServer[] = [];
  let clients: DigitalOceanClient[] = [];
  let lines: string[] = [];
  const azureLog = AzureLogger.log;
  beforeEach(() => {
    lines = [];
    AzureLogger.log = (...args: unknown[]) => lines.push(args.join(" "));
    setLogLevel("warning");
  });
  afterEach(async () => {
    AzureLogger.log = azureLog;
    setLogLevel();
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.close()));
    [servers, clients] = [[], []];
  });

  async function api(handler: (response: ServerResponse) => void = ok): Promise<RawServer> {
    const server = await httpServer((_request, response) => handler(response));
    servers.push(server);
    return server;
  }

  function clientOf(url: string, rateLimitOptions: DigitalOceanClientOptions["rateLimitOptions"]): DigitalOceanClient {
    const client = new DigitalOceanClient(TOKEN, { endpoint: url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 }, rateLimitOptions });
    clients.push(client);
    return client;
  }

  const warnings = (): string[] => lines.filter((line) => line.includes("store's"));

  describe("a store that fails is logged, never the call's failure", () => {
    for (const how of ["throws", "rejects"] as const) {
      it(`observe that ${how}: the executed call resolves, with one warning and no secret`, async () => {
        const server = await api();
        const store = new HookedStore();
        store.observeHook = how === "throws" ? () => { throw new RangeError(`store down ${TOKEN}`); } : () => Promise.reject(new RangeError(`store down ${TOKEN}`));
        const client = clientOf(server.url, { windows: [HOUR], routes: [], store });
        for (let i = 0; i < 3; i++) assert.equal(await failureOf(client.account.get()), "resolved");
        assert.equal(server.received(), 3);
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(warnings().length, 1, lines.join("\n"));
        assert.ok(warnings()[0]!.includes("observe") && !warnings()[0]!.includes(TOKEN), warnings()[0]);
      });

      it(`acquire that ${how}: the call fails open (sent, unpaced) with one warning, never a bare RangeError`, async () => {
        const server = await api();
        const store = new HookedStore();
        store.acquireHook = how === "throws" ? () => { throw new RangeError("Maximum call stack size exceeded"); } : () => Promise.reject(new RangeError("store down"));
        const client = clientOf(server.url, { windows: [HOUR], routes: [], store });
        for (let i = 0; i < 3; i++) assert.equal(await failureOf(client.account.get()), "resolved");
        assert.equal(server.received(), 3);
        assert.equal(warnings().length, 1, lines.join("\n"));
        assert.ok(warnings()[0]!.includes("acquire"), warnings()[0]);
      });
    }
  });

  describe("a purge's cost is bounded by its window's limit", () => {
    it("a CDN purge of 130,000 files on the default store resolves (the server executed it)", async () => {
      const server = await api((response) => void response.writeHead(204).end());
      const client = clientOf(server.url, {});
      const files = Array.from({ length: 130_000 }, (_, i) => `/f${i}`);
      assert.equal(await failureOf(client.cdn.purgeCache(PURGE_ID, { files })), "resolved");
      assert.equal(server.received(), 1);
      // It took the whole purge window: the next purge waits for it (about 20 s), not 2,600 windows.
      const refused = await failureOf(clientOf(server.url, { maxQueueWaitInMs: 0 }).cdn.purgeCache(PURGE_ID, { files: ["/a"] }));
      assert.ok(refused instanceof RateLimitError && refused.beforeSending, String(refused));
      assert.ok(refused.retryAfterInMs! <= 20_000, `waits ${refused.retryAfterInMs} ms`);
    });

    it("the rules cap a purge's cost at its window's limit", () => {
      const rules = compileRules(DIGITALOCEAN_RATE_LIMITS);
      const body = JSON.stringify({ files: Array.from({ length: 100_000 }, (_, i) => `/f${i}`) });
      const purge = rules.demandsOf("DELETE", `/v2/cdn/endpoints/${PURGE_ID}/cache`, body).find((demand) => demand.window.name === "cdn-purge-files");
      assert.equal(purge?.cost, 50);
    });

    it("the memory store records at most the window's limit for a larger cost", () => {
      const store = new MemoryRateLimitStore();
      const demands = [{ window: { name: "purge", limit: 50, windowInMs: 20_000 }, cost: 4_000_000, general: false }];
      const heapBefore = process.memoryUsage().heapUsed;
      const slot = store.acquire("k", { demands, ahead: 0, reserve: 0 });
      store.observe("k", { reading: undefined, blockForMs: undefined, sentAt: slot.now, slot: slot.slot, demands });
      const grown = process.memoryUsage().heapUsed - heapBefore;
      assert.equal(slot.waitInMs, 0);
      assert.ok(grown < 8 * 1024 * 1024, `the heap grew ${grown} bytes`);
    });

    describe("on a real Redis", () => {
      let redis: TestRedis;
      before(async function () {
        redis = await startRedisOrSkip(this);
      });
      after(async () => {
        await redis?.stop();
      });

      it("a cost of 100,000 in a window of 50 writes 50 entries, in one quick acquire and observe", async () => {
        const connection = createClient({ url: redis.url });
        connection.on("error", () => {});
        await connection.connect();
        try {
          const store = new RedisRateLimitStore(connection, { prefix: "cost" });
          const demands = [
            { window: HOUR, cost: 1, general: true },
            { window: { name: "purge", limit: 50, windowInMs: 20_000 }, cost: 100_000, general: false },
          ];
          const started = process.hrtime.bigint();
          const slot = await store.acquire("k", { demands, ahead: 0, reserve: 0 });
          await store.observe("k", { reading: undefined, blockForMs: undefined, sentAt: slot.now, slot: slot.slot, demands });
          const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
          assert.equal(slot.waitInMs, 0);
          assert.equal(store.failedOver, false);
          assert.equal(await connection.zCard("cost:{k}:purge"), 50);
          // Moved to the answer's arrival: none is still stamped a window ahead.
          assert.equal(await connection.zCount("cost:{k}:purge", Date.now() + 1_000, "+inf"), 0);
          assert.ok(elapsedMs < 500, `${elapsedMs} ms`);
        } finally {
          connection.destroy();
        }
      });
    });
  });

  describe("an abort or close() does not wait for the store", () => {
    const neverAnswers = { isReady: true, scriptLoad: async () => "sha", evalSha: () => new Promise<unknown>(() => {}) };

    for (const how of ["abort", "close"] as const) {
      it(`${how} 50 ms into an acquire Redis never answers rejects at once, sending nothing`, async () => {
        const server = await api();
        const client = clientOf(server.url, { store: new RedisRateLimitStore(neverAnswers) });
        const controller = new AbortController();
        const call = failureOf(client.account.get({ abortSignal: controller.signal }));
        await new Promise((resolve) => setTimeout(resolve, 50));
        const started = Date.now();
        if (how === "abort") controller.abort();
        else await client.close();
        const outcome = await call;
        assert.ok(Date.now() - started < 200, `rejected after ${Date.now() - started} ms`);
        assert.equal((outcome as Error).name, how === "abort" ? "AbortError" : "ClientClosedError", String(outcome));
        if (how === "close") assert.ok(outcome instanceof ClientClosedError);
        assert.equal(server.received(), 0);
      });
    }

    it("a slot the store records after the call was aborted is released", async () => {
      const server = await api();
      const store = new HookedStore();
      let late: Promise<unknown> = Promise.resolve();
      store.acquireHook = (answer) => {
        const result = new Promise<AcquireResult>((resolve) => setTimeout(() => resolve(answer()), 200));
        late = result;
        return result;
      };
      const client = clientOf(server.url, { windows: [{ ...HOUR, limit: 1 }], routes: [], store, maxQueueWaitInMs: 0 });
      const controller = new AbortController();
      const aborted = failureOf(client.account.get({ abortSignal: controller.signal }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      assert.equal(((await aborted) as Error).name, "AbortError");
      await late;
      await new Promise((resolve) => setImmediate(resolve));
      // The only slot of the hour is free again: nothing was sent for it.
      store.acquireHook = (answer) => answer();
      assert.equal(await failureOf(client.account.get()), "resolved");
      assert.equal(server.received(), 1);
    });

    it("a queued call aborted while the store answers for it leaves the calls behind it served", async () => {
      const server = await api();
      const store = new HookedStore();
      const window = { name: "short", limit: 1, windowInMs: 300 };
      const client = clientOf(server.url, { windows: [HOUR, window], routes: [], store, maxQueueWaitInMs: 5_000 });
      await client.account.get();
      const controller = new AbortController();
      const first = failureOf(client.account.get({ abortSignal: controller.signal }));
      const second = failureOf(client.account.get());
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The next round's answers come late; the first queued call is aborted while its answer is out.
      store.acquireHook = (answer) => new Promise<AcquireResult>((resolve) => setTimeout(() => resolve(answer()), 100));
      await new Promise((resolve) => setTimeout(resolve, 330));
      controller.abort();
      assert.equal(((await first) as Error).name, "AbortError");
      const outcome = await Promise.race([second, new Promise((resolve) => setTimeout(() => resolve("pending"), 3_000))]);
      assert.equal(outcome, "resolved");
      assert.equal(server.received(), 2);
    });
  });
});
