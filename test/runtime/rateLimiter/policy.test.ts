// The limiter behind a client, against the fake over real sockets: pacing instead of 429s, never
// slower than the server, the queue limit, priorities, shared 429 blocks and what is observable.
import { AzureLogger, setLogLevel } from "@azure/logger";
import assert from "node:assert/strict";
import { MemoryRateLimitStore, RateLimitError, type DigitalOceanClientOptions, type RateLimitWindow } from "../../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../../src/testing/index.js";

const window = (limit: number, windowInMs: number): RateLimitWindow => ({ name: "hour", limit, windowInMs });
/** A second window under the one the headers describe (whose limit follows the server's). */
const short = (limit: number, windowInMs: number): RateLimitWindow => ({ name: "short", limit, windowInMs });
const HOUR = window(100, 60_000);

describe("rate limiter behind a client", function () {
  this.timeout(10_000);
  let fake: FakeDigitalOcean;
  afterEach(() => fake?.close());

  function client(limits: RateLimitWindow[], rateLimitOptions: DigitalOceanClientOptions["rateLimitOptions"] = {}) {
    return createTestClient(fake, {
      retryOptions: { maxRetries: 0 },
      rateLimitOptions: { windows: limits, routes: [], store: new MemoryRateLimitStore(), ...rateLimitOptions },
    });
  }

  it("paces a burst to the fake's limits instead of earning 429s", async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { windows: [window(10, 400)], routes: [] } });
    const limited = client([window(10, 400)]);
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => limited.account.get()));
    assert.deepEqual(results.filter((result) => result.status === "rejected"), []);
    // 25 at 10 per 400 ms: two full windows must pass.
    assert.ok(Date.now() - started >= 790, `took ${Date.now() - started} ms`);
    assert.equal(fake.executionCount("account_get"), 25);
  });

  it("is never slower than the server: a raised ratelimit-limit lifts the local one, so nothing waits", async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { windows: [window(200, 60_000)], routes: [] } });
    const lines = captureLog();
    try {
      const limited = client([window(20, 60_000)]);
      await limited.account.get();
      const started = Date.now();
      for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 10 }, () => limited.account.get()));
      assert.ok(Date.now() - started < 5_000);
      assert.equal(limited.rateLimit?.limit, 200);
      assert.deepEqual(lines.filter((line) => line.includes("queued=")), []);
    } finally {
      lines.restore();
    }
  });

  it("fails at once with RateLimitError, carrying when the budget frees up, rather than queue past maxQueueWaitInMs", async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { windows: [window(100, 60_000)], routes: [] } });
    const limited = client([HOUR, short(2, 30_000)], { maxQueueWaitInMs: 1_000 });
    await limited.account.get();
    await limited.account.get();
    const started = Date.now();
    await assert.rejects(limited.account.get(), (error: RateLimitError) => {
      assert.ok(error instanceof RateLimitError && error.beforeSending);
      assert.ok(error.retryAfterInMs! > 28_000 && error.retryAfterInMs! <= 30_000);
      assert.ok(error.retryAt!.getTime() > Date.now() + 28_000);
      assert.match(error.message, /frees up in 30 s.*nothing was sent/);
      return true;
    });
    assert.ok(Date.now() - started < 500, "refused without waiting");
    assert.equal(fake.executionCount("account_get"), 2);
  });

  it("defaults maxQueueWaitInMs to retryOptions.maxRetryDelayInMs", async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { windows: [window(100, 60_000)], routes: [] } });
    const limited = createTestClient(fake, { retryOptions: { maxRetries: 0, maxRetryDelayInMs: 100 }, rateLimitOptions: { windows: [HOUR, short(1, 30_000)], routes: [], store: new MemoryRateLimitStore() } });
    await limited.account.get();
    await assert.rejects(limited.account.get(), RateLimitError);
  });

  it("lets interactive calls go before background ones (priority: 'background', later pages)", async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { windows: [window(100, 60_000)], routes: [] } });
    const limited = client([HOUR, short(2, 300)], { interactiveReserve: 0 });
    const order: string[] = [];
    const calls = [
      ...Array.from({ length: 4 }, (_, i) => limited.account.get({ priority: "background" }).then(() => order.push(`background ${i}`))),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    calls.push(limited.account.get().then(() => order.push("interactive")));
    await Promise.all(calls);
    // Two went at once; the interactive call took the next slot, ahead of the queued background ones.
    assert.equal(order.indexOf("interactive"), 2, order.join(", "));
    await assert.rejects(limited.account.get({ priority: "urgent" as never }), /priority must be "interactive" or "background"/);
  });

  it("a 429 blocks every client of the token until retry-after; the log line of a call that waited says how long", async () => {
    fake = await startFakeDigitalOcean();
    const store = new MemoryRateLimitStore();
    const first = createTestClient(fake, { retryOptions: { maxRetries: 0 }, rateLimitOptions: { store } });
    const second = createTestClient(fake, { retryOptions: { maxRetries: 0 }, rateLimitOptions: { store } });
    await second.account.get();
    fake.faults.rateLimitNext(1, 1);
    await assert.rejects(first.account.get(), RateLimitError);
    const lines = captureLog();
    try {
      const started = Date.now();
      const pending = second.account.get();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(second.rateLimit?.queued, 1);
      assert.ok(second.rateLimit!.nextFreeSlotAt.getTime() > Date.now());
      await pending;
      assert.ok(Date.now() - started >= 900, "waited for retry-after");
      const line = lines.find((entry) => entry.includes("GET /v2/account 200"));
      assert.match(line ?? "", /queued=\d{3,4}ms/);
    } finally {
      lines.restore();
    }
  });

  it("shares one budget between clients of the same token in a process, by default", async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { windows: [window(100, 60_000)], routes: [] } });
    const options = { retryOptions: { maxRetries: 0 }, rateLimitOptions: { windows: [HOUR, short(3, 30_000)], routes: [], maxQueueWaitInMs: 0 } };
    const [a, b] = [createTestClient(fake, options), createTestClient(fake, options)];
    await a.account.get();
    await b.account.get();
    await a.account.get();
    await assert.rejects(b.account.get(), RateLimitError);
    // Another token has a budget of its own.
    const other = await startFakeDigitalOcean();
    try {
      await createTestClient(other, options).account.get();
    } finally {
      await other.close();
    }
  });

  it("counts the special routes in their own windows, the CDN purge by files", async () => {
    const purge = { name: "cdn-purge-files", method: "DELETE", path: "/v2/cdn/endpoints/*/cache", limit: 4, windowInMs: 30_000, cost: "files" as const };
    fake = await startFakeDigitalOcean({ rateLimit: { windows: [window(100, 60_000)], routes: [purge] } });
    const limited = createTestClient(fake, { retryOptions: { maxRetries: 0 }, rateLimitOptions: { windows: [window(100, 60_000)], routes: [purge], maxQueueWaitInMs: 0, store: new MemoryRateLimitStore() } });
    const id = "19f06b6a-3ace-4315-b086-499a0e521b76";
    await limited.cdn.purgeCache(id, { files: ["a.css", "b.css", "c.css"] });
    // One file left in the window: a two-file purge is refused locally, other calls go on.
    await assert.rejects(limited.cdn.purgeCache(id, { files: ["d.css", "e.css"] }), RateLimitError);
    await limited.account.get();
    await limited.cdn.purgeCache(id, { files: ["d.css"] });
  });
});

function captureLog(): string[] & { restore(): void } {
  const lines = [] as unknown as string[] & { restore(): void };
  const log = AzureLogger.log;
  AzureLogger.log = (...args: unknown[]) => lines.push(args.join(" "));
  setLogLevel("info");
  lines.restore = () => {
    AzureLogger.log = log;
    setLogLevel();
  };
  return lines;
}
