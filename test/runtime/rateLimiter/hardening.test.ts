// The limiter against hostile answers and careless callers: the budget's scope (origin and token),
// server hints clamped to their window, maxQueueWaitInMs and timeoutInMs kept for every queued
// call, and queued calls that leave no listener or timer behind. Raw loopback servers only.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { DigitalOceanClient, MemoryRateLimitStore, RateLimitError, TimeoutError, type DigitalOceanClientOptions, type RateLimitWindow } from "../../../src/index.js";
import { slotTime } from "../../../src/rateLimiter/slidingLog.js";
import { activeTimers, httpServer, json, type RawServer } from "../../faults/servers.js";
import type { LyingLimitFigures } from "./lyingLimitChild.js";

const HOUR: RateLimitWindow = { name: "hour", limit: 100, windowInMs: 3_600_000 };
const short = (limit: number, windowInMs: number): RateLimitWindow => ({ name: "short", limit, windowInMs });
const resetIn = (seconds: number): string => String(Math.ceil(Date.now() / 1000 + seconds));
const ok = (response: ServerResponse, headers: Record<string, string> = {}): void => json(response, 200, { droplet: { id: 1 } }, headers);
const tooMany = (response: ServerResponse, headers: Record<string, string>): void => json(response, 429, { id: "too_many_requests", message: "slow down" }, headers);

describe("rate limiter hardening: scope, clamped hints, queue promises", function () {
  this.timeout(20_000);
  let servers: RawServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });

  async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<RawServer> {
    const server = await httpServer((request, response) => handler(request, response));
    servers.push(server);
    return server;
  }

  function clientOf(url: string, rateLimitOptions: DigitalOceanClientOptions["rateLimitOptions"], options: DigitalOceanClientOptions = {}): DigitalOceanClient {
    return new DigitalOceanClient("t0ken", {
      endpoint: url,
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
      ...options,
      rateLimitOptions: { routes: [], store: new MemoryRateLimitStore(), ...rateLimitOptions },
    });
  }

  const failureOf = (call: Promise<unknown>): Promise<unknown> => call.then(() => "resolved", (error: unknown) => error);

  describe("scope: keyed by the endpoint origin and the token", () => {
    it("a redirect target's 429 and ratelimit-limit: 1 move nothing of the API's budget", async () => {
      const other = await serve((_request, response) =>
        tooMany(response, { "retry-after": "3600", "ratelimit-limit": "1", "ratelimit-remaining": "0", "ratelimit-reset": resetIn(3600) }),
      );
      const api = await serve((request, response) => {
        if (request.url === "/v2/droplets/1") return void response.writeHead(302, { location: `${other.url}/elsewhere` }).end();
        ok(response);
      });
      const client = clientOf(api.url, { windows: [HOUR], maxQueueWaitInMs: 1_000 });
      assert.ok((await failureOf(client.droplets.get(1))) instanceof RateLimitError, "the other origin's 429 reaches the caller");
      const started = Date.now();
      for (let i = 0; i < 5; i++) await client.droplets.get(2);
      assert.ok(Date.now() - started < 1_000, `API calls went at once (${Date.now() - started} ms)`);
    });

    it("one token against two endpoints keeps two budgets", async () => {
      const [first, second] = [await serve((_request, response) => ok(response)), await serve((_request, response) => ok(response))];
      const store = new MemoryRateLimitStore();
      const options = { windows: [HOUR, short(2, 60_000)], store, maxQueueWaitInMs: 0 };
      const [a, b] = [clientOf(first.url, options), clientOf(second.url, options)];
      await a.droplets.get(1);
      await a.droplets.get(1);
      assert.ok((await failureOf(a.droplets.get(1))) instanceof RateLimitError, "the first endpoint's budget is spent");
      await b.droplets.get(1);
      await b.droplets.get(1);
      assert.equal(second.received(), 2);
    });
  });

  describe("server hints are clamped to their window", () => {
    const years = 10 * 365 * 24 * 3600;
    for (const [label, headers] of [
      ["retry-after: 1e9", () => ({ "retry-after": "1e9" })],
      ["retry-after: an HTTP date ten years ahead", () => ({ "retry-after": new Date(Date.now() + years * 1000).toUTCString() })],
      ["ratelimit-reset ten years ahead, no retry-after", () => ({ "ratelimit-limit": "100", "ratelimit-remaining": "0", "ratelimit-reset": resetIn(years) })],
    ] as const) {
      it(`a 429 with ${label} holds the token for at most the hourly window`, async () => {
        let calls = 0;
        const api = await serve((_request, response) => (calls++ === 0 ? tooMany(response, headers()) : ok(response)));
        const client = clientOf(api.url, { windows: [HOUR], maxQueueWaitInMs: 0 });
        await failureOf(client.droplets.get(1));
        const refused = await failureOf(client.droplets.get(1));
        assert.ok(refused instanceof RateLimitError && refused.beforeSending, String(refused));
        assert.ok(refused.retryAfterInMs! <= 3_600_000 && refused.retryAfterInMs! > 3_590_000, `held for ${refused.retryAfterInMs} ms`);
      });
    }

    it("a ratelimit-reset years ahead does not make later, sane readings stale", async () => {
      const answers = [
        { "ratelimit-limit": "10", "ratelimit-remaining": "9", "ratelimit-reset": resetIn(years) },
        // The server says the hour is spent (others used the token): the next call must wait.
        { "ratelimit-limit": "10", "ratelimit-remaining": "0", "ratelimit-reset": resetIn(1800) },
      ];
      let index = 0;
      const api = await serve((_request, response) => ok(response, answers[Math.min(index++, answers.length - 1)]));
      const client = clientOf(api.url, { windows: [{ ...HOUR, limit: 10 }], maxQueueWaitInMs: 0 });
      await client.droplets.get(1);
      await client.droplets.get(1);
      const refused = await failureOf(client.droplets.get(1));
      assert.ok(refused instanceof RateLimitError && refused.beforeSending, `the sane reading was applied (${String(refused)})`);
      assert.equal(api.received(), 2);
    });

    it("a ratelimit-limit far above the configured one is believed only up to ten times it", async () => {
      // An honest count of a claimed 100 million an hour: the configured 3 is raised to 30, no further.
      let counted = 0;
      const api = await serve((_request, response) =>
        ok(response, { "ratelimit-limit": "100000000", "ratelimit-remaining": String(100_000_000 - ++counted), "ratelimit-reset": resetIn(3600) }),
      );
      const client = clientOf(api.url, { windows: [{ ...HOUR, limit: 3 }], maxQueueWaitInMs: 0 });
      for (let i = 0; i < 30; i++) await client.droplets.get(1);
      assert.ok((await failureOf(client.droplets.get(1))) instanceof RateLimitError);
      assert.equal(api.received(), 30);
    });

    for (const lyingLimit of ["100000000", "1000000"]) {
      it(`ratelimit-limit: ${lyingLimit} with nothing remaining grows no heap and blocks no event loop`, async () => {
        const child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=160", join(__dirname, "lyingLimitChild.js")], {
          env: { ...process.env, LYING_LIMIT: lyingLimit },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        let errors = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
        assert.equal(code, 0, `the child ran out of memory or failed: ${errors.slice(-300)}`);
        const figures = JSON.parse(output) as LyingLimitFigures;
        assert.equal(figures.settled, 20);
        assert.ok(figures.heapGrowthBytes < 8 * 1024 * 1024, `heap grew ${figures.heapGrowthBytes} bytes`);
        assert.ok(figures.longestStallMs < 500, `event loop stalled ${figures.longestStallMs} ms`);
      });
    }

    it("slotTime answers as fast for a unit a billion places back as for the next one", () => {
      const started = process.hrtime.bigint();
      // 1 per hour, 2 in the log: a unit a billion places back goes a billion hours after the second expires.
      assert.equal(slotTime(0, 2, 1, 3_600_000, 1e9, (index) => [100, 200][index]!), 200 + 1e9 * 3_600_000);
      assert.equal(slotTime(0, 2, 2, 1000, 5, (index) => [300, 600][index]!), 600 + 2000);
      assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 50);
    });
  });

  describe("maxQueueWaitInMs and timeoutInMs are kept for every queued call", () => {
    it("2,000 calls queued behind a 1 s hold all settle within maxQueueWaitInMs + 100 ms", async () => {
      let calls = 0;
      const api = await serve((_request, response) => (calls++ === 0 ? tooMany(response, { "retry-after": "1" }) : ok(response)));
      const client = clientOf(api.url, { windows: [HOUR, short(20, 60_000)], maxQueueWaitInMs: 3_000 });
      await failureOf(client.droplets.get(1));
      const started = Date.now();
      const settledAt: number[] = [];
      const results = await Promise.all(
        Array.from({ length: 2_000 }, () => failureOf(client.droplets.get(1)).then((outcome) => (settledAt.push(Date.now() - started), outcome))),
      );
      const refused = results.filter((outcome) => outcome instanceof RateLimitError && outcome.beforeSending);
      assert.equal(results.filter((outcome) => outcome === "resolved").length, 19, "the short window's slots went (less the 429's)");
      assert.equal(refused.length, 2_000 - 19);
      assert.ok(Math.max(...settledAt) <= 3_100, `the last settled after ${Math.max(...settledAt)} ms`);
    });

    it("a 429 with retry-after: 3600 arriving while calls queue fails them at once, not in an hour", async () => {
      let calls = 0;
      const api = await serve((_request, response) => {
        if (calls++ === 0) setTimeout(() => tooMany(response, { "retry-after": "3600" }), 300);
        else ok(response);
      });
      const client = clientOf(api.url, { windows: [HOUR, short(1, 400)], maxQueueWaitInMs: 2_000 });
      const first = failureOf(client.droplets.get(1));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      const queued = Array.from({ length: 4 }, () => failureOf(client.droplets.get(1)).then((outcome) => ({ outcome, afterMs: Date.now() - started })));
      const outcomes = await Promise.race([Promise.all(queued), new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 2_500))]);
      assert.notEqual(outcomes, "pending", "the queued calls were still pending");
      for (const { outcome, afterMs } of outcomes as Array<{ outcome: unknown; afterMs: number }>) {
        assert.ok(outcome instanceof RateLimitError && outcome.beforeSending, String(outcome));
        assert.ok(afterMs <= 2_100, `failed after ${afterMs} ms`);
      }
      assert.ok((await first) instanceof RateLimitError);
      assert.equal(api.received(), 1);
    });

    it("a call's timeoutInMs covers its time in the queue", async () => {
      let calls = 0;
      const api = await serve((_request, response) => (calls++ === 0 ? ok(response) : setTimeout(() => ok(response), 800)));
      const client = clientOf(api.url, { windows: [HOUR, short(1, 1_000)], maxQueueWaitInMs: 10_000 });
      await client.droplets.get(1);
      // A slot a second away: a 300 ms timeout cannot be kept, and says so at once.
      const started = Date.now();
      const atOnce = await failureOf(client.droplets.get(1, { timeoutInMs: 300 }));
      assert.ok(atOnce instanceof TimeoutError && atOnce.timeoutInMs === 300, String(atOnce));
      assert.ok(Date.now() - started < 200);
      // About 1 s in the queue, then an 800 ms answer: past 1.5 s, though each alone is within it.
      const late = await failureOf(client.droplets.get(1, { timeoutInMs: 1_500 }));
      assert.ok(late instanceof TimeoutError, String(late));
      assert.ok(Date.now() - started < 1_800, `failed after ${Date.now() - started} ms`);
    });
  });

  describe("queued calls leave nothing behind", () => {
    it("20 calls queued on one AbortSignal add one listener, and aborting them leaves no timer", async () => {
      const api = await serve((_request, response) => ok(response));
      const client = clientOf(api.url, { windows: [HOUR, short(1, 20_000)], maxQueueWaitInMs: 30_000 });
      await client.droplets.get(1);
      const warnings: string[] = [];
      const onWarning = (warning: Error): number => warnings.push(`${warning.name}: ${warning.message}`);
      process.on("warning", onWarning);
      try {
        const timersBefore = activeTimers();
        const controller = new AbortController();
        const queued = Array.from({ length: 20 }, () => failureOf(client.droplets.get(1, { abortSignal: controller.signal })));
        await new Promise((resolve) => setTimeout(resolve, 50));
        controller.abort();
        const started = Date.now();
        const outcomes = await Promise.all(queued);
        assert.ok(Date.now() - started < 50, "they left the queue at once");
        assert.deepEqual(new Set(outcomes.map((outcome) => (outcome as Error).name)), new Set(["AbortError"]));
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(activeTimers(), timersBefore, "the queue's timer is gone");
        assert.deepEqual(warnings, []);
        assert.equal(api.received(), 1);
      } finally {
        process.off("warning", onWarning);
      }
    });
  });
});
