import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DigitalOceanClient } from "../../../src/client.js";
import { InternalServerError, TimeoutError } from "../../../src/core/errors.js";
import { RetryBudget } from "../../../src/pipeline/retryBudget.js";
import { captureLogs, request, send, startServer, testPipeline, TOKEN, type TestServer } from "./support.js";

/** A client of the loopback server, without backoff waits (retryDelayInMs 0). */
function clientOf(server: TestServer, options: ConstructorParameters<typeof DigitalOceanClient>[1] = {}): DigitalOceanClient {
  // Thousands of calls on one token and a virtual clock: retries are under test, not the rate limiter.
  return new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true, rateLimitOptions: { enabled: false }, ...options, retryOptions: { retryDelayInMs: 0, ...options.retryOptions } });
}

function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(status === 200 ? '{"account":{"uuid":"u"}}' : `{"id":"service_unavailable","message":"status ${status}"}`);
}

/** A seeded generator (mulberry32): the same outage pattern on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A virtual clock for waits of at least `minimumInMs`: such timers fire on the next turn instead of
 * after their delay, and their delays are recorded. Shorter timers (the test's own, Node's) are real.
 */
function virtualWaits(minimumInMs: number): { delays: number[]; restore(): void } {
  const realSetTimeout = globalThis.setTimeout;
  const delays: number[] = [];
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, delayInMs?: number, ...args: unknown[]) => {
    if (delayInMs === undefined || delayInMs < minimumInMs) return realSetTimeout(callback, delayInMs, ...args);
    delays.push(delayInMs);
    return realSetTimeout(callback, 0, ...args);
  }) as typeof setTimeout;
  return { delays, restore: () => void (globalThis.setTimeout = realSetTimeout) };
}

async function inBatches(count: number, concurrency: number, run: (index: number) => Promise<unknown>): Promise<PromiseSettledResult<unknown>[]> {
  const results: PromiseSettledResult<unknown>[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => run(start + i));
    results.push(...(await Promise.allSettled(batch)));
  }
  return results;
}

describe("per-call retryOptions, the retry budget, Retry-After on 503", () => {
  const servers: TestServer[] = [];
  async function serve(handler: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<TestServer> {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  describe("per-call retryOptions", () => {
    it("{ maxRetries: 0 } on one GET answered 503 makes exactly 1 request; the next call without it retries", async () => {
      const server = await serve((_req, res) => answer(res, 503));
      const client = clientOf(server);
      await assert.rejects(client.account.get({ retryOptions: { maxRetries: 0 } }), InternalServerError);
      assert.equal(server.requests.length, 1);
      await assert.rejects(client.account.get(), InternalServerError);
      assert.equal(server.requests.length, 1 + 4, "the client's default: 3 retries");
    });

    it("overrides the client's settings field by field", async () => {
      let index = 0;
      const server = await serve((_req, res) => answer(res, index++ < 2 ? 503 : 200));
      const client = clientOf(server, { retryOptions: { maxRetries: 0 } });
      assert.deepEqual(await client.account.get({ retryOptions: { maxRetries: 2 } }), { account: { uuid: "u" } });
      assert.equal(server.requests.length, 3);
    });

    it("is validated like the other options, before anything is sent", async () => {
      const server = await serve((_req, res) => answer(res, 200));
      const client = clientOf(server);
      await assert.rejects(client.account.get({ retryOptions: { maxRetries: -1 } }), /account_get: retryOptions\.maxRetries must be a non-negative integer \(got -1\)/);
      await assert.rejects(client.account.get({ retryOptions: { maxRetries: 1.5 } }), RangeError);
      await assert.rejects(client.account.get({ retryOptions: { maxRetrys: 1 } as never }), /account_get: retryOptions: unknown option "maxRetrys"/);
      await assert.rejects(client.account.get({ retryOptions: 3 as never }), /account_get: retryOptions must be an object/);
      await assert.rejects(client.account.get({ retryOptions: { maxRetryDelayInMs: 2 ** 31 } }), /from 0 to 2147483647/);
      await assert.rejects(client.droplets.list(undefined, { retryOptions: { retryDelayInMs: Number.NaN } }), /droplets_list: retryOptions\.retryDelayInMs/);
      assert.equal(server.requests.length, 0);
      assert.throws(() => clientOf(server, { retryOptions: { maxRetryDelayInMs: 2 ** 31 } }), /retryOptions\.maxRetryDelayInMs/);
    });
  });

  describe("the retry budget", () => {
    it("a 50 % 503 outage over 1 000 GETs spends the budget, then fails fast (requests well under 4× the calls)", async () => {
      const random = seeded(10);
      const server = await serve((_req, res) => answer(res, random() < 0.5 ? 503 : 200));
      const client = clientOf(server);
      const budget = client.retryBudget as RetryBudget;
      assert.equal(budget.available, 500);
      let lowest = budget.available;
      const results = await inBatches(1000, 16, async () => {
        try {
          return await client.account.get();
        } finally {
          lowest = Math.min(lowest, budget.available);
        }
      });
      const failed = results.filter((result) => result.status === "rejected").length;
      const requests = server.requests.length;
      // Without a budget each call makes 1 + 0.5 + 0.25 + 0.125 = 1.875 requests on average (1 875 here).
      assert.ok(lowest < budget.retryCost, `the budget never ran dry (lowest ${lowest})`);
      // A simulation of this policy gives about 1 410 requests, 280 failed calls, 260 refused retries
      // (without a budget: 1 875 requests and about 62 failed calls, 1 in 16).
      assert.ok(budget.refusedRetries > 150, `only ${budget.refusedRetries} retries refused`);
      assert.ok(requests < 1.5 * 1000, `${requests} requests for 1 000 calls`);
      assert.ok(failed > 200, `only ${failed} calls failed: failures did not surface`);
    });

    it("a total outage: 1 000 GETs make 1 000 requests plus what the budget pays for (100 retries), not 4 000", async () => {
      const server = await serve((_req, res) => answer(res, 503));
      const client = clientOf(server);
      const results = await inBatches(1000, 16, () => client.account.get());
      assert.ok(results.every((result) => result.status === "rejected"));
      assert.equal(server.requests.length, 1000 + 500 / 5);
      assert.equal(client.retryBudget?.available, 0);
    });

    it("refunds: 1 per first-attempt success, the last retry's cost after a retried success, never above capacity", async () => {
      let index = 0;
      const statuses = [503, 200, 200];
      const server = await serve((_req, res) => answer(res, statuses[index++] ?? 200));
      const client = clientOf(server, { retryBudget: { capacity: 20 } });
      const budget = client.retryBudget as RetryBudget;
      await client.account.get();
      assert.equal(budget.available, 20, "spent 5, refunded 5");
      assert.ok(budget.trySpend(3));
      await client.account.get();
      assert.equal(budget.available, 18);
      await client.account.get();
      await client.account.get();
      await client.account.get();
      assert.equal(budget.available, 20);
    });

    it("a retry after an attempt timeout costs 10, other retries 5", async () => {
      // Every first answer stalls past the 100 ms attempt timeout; a retry would be answered at once.
      const server = await serve((req, res) => (req.url === "/v2/slow" ? undefined : answer(res, 503)));
      const budget = new RetryBudget({ capacity: 9 });
      const pipeline = testPipeline(server.url, { timeoutInMs: 100, retryBudget: budget, retryOptions: { retryDelayInMs: 0, maxRetries: 1 } });
      await assert.rejects(send(pipeline, request(`${server.url}/v2/slow`)), TimeoutError, "9 tokens cannot pay for a timeout's retry");
      assert.equal(server.requests.length, 1);
      assert.equal(budget.refusedRetries, 1);
      assert.equal((await send(pipeline, request(`${server.url}/v2/account`))).status, 503);
      assert.equal(server.requests.length, 3, "but they pay for a 503's");
      assert.equal(budget.available, 4);
    });

    it("is shared by withOptions children, logged when it refuses, and off with retryBudget: false", async () => {
      const server = await serve((_req, res) => answer(res, 503));
      const client = clientOf(server, { retryBudget: { capacity: 10 } });
      const child = client.withOptions({ timeoutInMs: 5_000 });
      assert.equal(child.retryBudget, client.retryBudget);
      const logs = captureLogs("info");
      try {
        await assert.rejects(child.account.get());
      } finally {
        logs.restore();
      }
      assert.equal(server.requests.length, 3, "10 tokens pay for 2 retries");
      assert.ok(logs.lines.some((line) => /not retried: the retry budget is spent/.test(line)), logs.lines.join("\n"));
      assert.equal(client.retryBudget?.available, 0);

      const unlimited = clientOf(server, { retryBudget: false });
      assert.equal(unlimited.retryBudget, undefined);
      await assert.rejects(unlimited.account.get());
      assert.equal(server.requests.length, 3 + 4);
    });

    it("rejects bad budget settings", () => {
      assert.throws(() => new RetryBudget({ capacity: -1 }), /retryBudget\.capacity must be a non-negative number/);
    });
  });

  describe("Retry-After on 503", () => {
    let clock: ReturnType<typeof virtualWaits> | undefined;
    afterEach(() => clock?.restore());
    // No attempt timer (timeoutInMs 0): every timer of a second or more is then a retry wait.
    const waitingClient = (server: TestServer, maxRetryDelayInMs?: number) => clientOf(server, { timeoutInMs: 0, retryOptions: { maxRetryDelayInMs } });

    it("waits the seconds a 503 asks for, for a GET (on a virtual clock)", async () => {
      let index = 0;
      const server = await serve((_req, res) => (index++ === 0 ? answer(res, 503, { "retry-after": "7" }) : answer(res, 200)));
      clock = virtualWaits(1000);
      await waitingClient(server).account.get();
      assert.deepEqual(clock.delays, [7000]);
      assert.equal(server.requests.length, 2);
    });

    it("reads an HTTP date, and ignores ratelimit-reset on a 503", async () => {
      let index = 0;
      const at = new Date(Date.now() + 30_000).toUTCString();
      const reset = String(Math.ceil(Date.now() / 1000) + 3000);
      const server = await serve((_req, res) =>
        index++ === 0 ? answer(res, 503, { "retry-after": at }) : index === 2 ? answer(res, 503, { "ratelimit-reset": reset }) : answer(res, 200),
      );
      clock = virtualWaits(1000);
      await waitingClient(server).account.get();
      assert.equal(clock.delays.length, 1);
      assert.ok((clock.delays[0] as number) > 28_000 && (clock.delays[0] as number) <= 30_000, String(clock.delays));
      assert.equal(server.requests.length, 3);
    });

    it("returns the 503 at once when it asks for longer than maxRetryDelayInMs, even beyond setTimeout's 2^31-1 ms", async () => {
      for (const retryAfter of ["120", "99999999999", "3000000"]) {
        const server = await serve((_req, res) => answer(res, 503, { "retry-after": retryAfter }));
        clock = virtualWaits(1);
        await assert.rejects(waitingClient(server, 60_000).account.get(), InternalServerError);
        assert.deepEqual(clock.delays, [], `waited for retry-after ${retryAfter}`);
        assert.equal(server.requests.length, 1);
        clock.restore();
      }
    });

    it("does not make a POST retryable", async () => {
      const server = await serve((_req, res) => answer(res, 503, { "retry-after": "1" }));
      await assert.rejects(clientOf(server).tags.create({ name: "t" }), InternalServerError);
      assert.equal(server.requests.length, 1);
    });
  });
});
