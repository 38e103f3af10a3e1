import assert from "node:assert/strict";
import { DigitalOceanClient, MemoryRateLimitStore, RateLimitError } from "../../src/index.js";
import { n, scenario } from "./results.js";
import { httpServer, json, type RawServer } from "./servers.js";

const GROUP = "rate limiter under attack";
const resetIn = (seconds: number): string => String(Math.ceil(Date.now() / 1000 + seconds));

describe("fault suite: the rate limiter against lying headers and queue floods", () => {
  let server: RawServer | undefined;
  afterEach(() => server?.close());

  const clientOf = (url: string, maxQueueWaitInMs: number): DigitalOceanClient =>
    new DigitalOceanClient("t", { endpoint: url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 }, rateLimitOptions: { store: new MemoryRateLimitStore(), maxQueueWaitInMs } });
  const outcomeOf = (call: Promise<unknown>): Promise<unknown> => call.then(() => "ok", (error: unknown) => error);

  for (const lyingLimit of [100_000_000, 2_000_000]) {
    scenario(GROUP, `200 calls answered ratelimit-limit: ${n(lyingLimit)}, remaining 0: memory and time follow the configured limit`, async (row) => {
      server = await httpServer((_request, response) =>
        json(response, 200, { droplet: { id: 1 } }, { "ratelimit-limit": String(lyingLimit), "ratelimit-remaining": "0", "ratelimit-reset": resetIn(3600) }),
      );
      const client = clientOf(server.url, 0);
      const heapBefore = process.memoryUsage().heapUsed;
      const started = Date.now();
      const outcomes: unknown[] = [];
      for (let i = 0; i < 200; i++) outcomes.push(await outcomeOf(client.droplets.get(1)));
      const elapsedMs = Date.now() - started;
      const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      const sent = server.received();
      row.requests = sent;
      row.faults = `ratelimit-limit ${n(lyingLimit)} on every answer`;
      row.figure = `${sent} sent, ${200 - sent} refused locally (the server said none remain); ${elapsedMs} ms; heap ${heapGrowthMb >= 0 ? "+" : "−"}${Math.abs(heapGrowthMb).toFixed(1)} MB`;
      assert.ok(outcomes.every((outcome) => outcome === "ok" || (outcome instanceof RateLimitError && outcome.beforeSending)));
      assert.ok(elapsedMs < 5_000, row.figure);
      assert.ok(heapGrowthMb < 32, row.figure);
    });
  }

  scenario(GROUP, "a 429 with retry-after: 1e9 holds the token for at most the hourly window", async (row) => {
    let calls = 0;
    server = await httpServer((_request, response) =>
      calls++ === 0 ? json(response, 429, { id: "too_many_requests", message: "slow down" }, { "retry-after": "1e9" }) : json(response, 200, { droplet: { id: 1 } }),
    );
    const client = clientOf(server.url, 0);
    await outcomeOf(client.droplets.get(1));
    const refused = await outcomeOf(client.droplets.get(1));
    assert.ok(refused instanceof RateLimitError && refused.beforeSending);
    row.requests = server.received();
    row.faults = "429, retry-after: 1e9 (31 years)";
    row.figure = `held for ${Math.round(refused.retryAfterInMs! / 1000)} s`;
    assert.ok(refused.retryAfterInMs! <= 3_600_000);
  });

  for (const [label, status, headers] of [
    ["a 1 s hold (429, retry-after: 1)", 429, { "retry-after": "1" }],
    ["a call whose 429 (retry-after: 3600) arrives 300 ms later", 429, { "retry-after": "3600" }],
  ] as const) {
    scenario(GROUP, `2,000 calls at once behind ${label}, maxQueueWaitInMs 3,000: every one settles within 3,100 ms`, async (row) => {
      let calls = 0;
      server = await httpServer((_request, response) => {
        const answer = (): void => json(response, status, { id: "too_many_requests", message: "slow down" }, headers);
        if (calls++ > 0) return json(response, 200, { droplet: { id: 1 } });
        // The hour-long 429 comes late, so that the calls are already queued behind a short wait.
        if (headers["retry-after"] === "3600") setTimeout(answer, 300);
        else answer();
      });
      const client = clientOf(server.url, 3_000);
      const first = outcomeOf(client.droplets.get(1));
      if (headers["retry-after"] === "1") await first;
      const started = Date.now();
      let lastMs = 0;
      const outcomes = await Promise.all(Array.from({ length: 2_000 }, () => outcomeOf(client.droplets.get(1)).then((outcome) => ((lastMs = Date.now() - started), outcome))));
      await first;
      const sent = outcomes.filter((outcome) => outcome === "ok").length;
      row.requests = server.received();
      row.faults = label;
      row.figure = `${sent} sent, ${n(2_000 - sent)} refused (RateLimitError); the last settled after ${lastMs} ms`;
      assert.ok(outcomes.every((outcome) => outcome === "ok" || (outcome instanceof RateLimitError && outcome.beforeSending)));
      assert.ok(lastMs <= 3_100, row.figure);
    });
  }
});
