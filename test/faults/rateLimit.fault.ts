import assert from "node:assert/strict";
import { DigitalOceanClient, RateLimitError } from "../../src/index.js";
import { n, scenario } from "./results.js";
import { httpServer, json, type RawServer } from "./servers.js";

const GROUP = "429 storms";
const CALLS = 50;
/** Every call is refused this many times before it is let through. */
const REFUSALS = 3;
/**
 * The retry policy's answer to the server's 429s is under test. The limiter (its own suites) and the
 * retry budget are off: 150 retries in a burst overspend the budget's 500 tokens, and the limiter
 * reads `ratelimit-remaining: 0` of a 250 limit as a spent window and holds calls past the reset.
 */
const RETRY_POLICY_ALONE = { rateLimitOptions: { enabled: false }, retryBudget: false } as const;

describe("fault suite: 429 storms", () => {
  let server: RawServer | undefined;
  afterEach(() => server?.close());

  const clientOf = (url: string): DigitalOceanClient =>
    new DigitalOceanClient("t", { endpoint: url, allowInsecureConnection: true, ...RETRY_POLICY_ALONE, retryOptions: { maxRetries: REFUSALS, retryDelayInMs: 2, maxRetryDelayInMs: 1000 } });

  /** A server that answers each call's first REFUSALS attempts 429 with `headers()`, then 200 (creates: 202). */
  const storm = async (headers: () => Record<string, string>) => {
    const seen = new Map<string, number>();
    let creates = 0;
    server = await httpServer((request, response, _index, body) => {
      const key = request.method === "POST" ? (JSON.parse(body) as { name: string }).name : (request.url ?? "");
      const attempt = (seen.get(key) ?? 0) + 1;
      seen.set(key, attempt);
      if (attempt <= REFUSALS) return json(response, 429, { id: "too_many_requests", message: "Too many requests" }, headers());
      if (request.method === "POST") {
        creates++;
        return json(response, 202, { droplet: { id: creates, name: key }, links: {} });
      }
      json(response, 200, { droplet: { id: 1 } });
    });
    const client = clientOf(server.url);
    const started = Date.now();
    const calls = Array.from({ length: CALLS }, (_, i) =>
      i % 2 === 0 ? client.droplets.get(i + 1) : client.droplets.create({ name: `d-${i}`, size: "s", image: "i", region: "r" }),
    );
    const results = await Promise.allSettled(calls);
    return { results, elapsedMs: Date.now() - started, creates, requests: server.received() };
  };

  for (const [label, headers, minimumWaitMs] of [
    ["retry-after (50 ms)", () => ({ "retry-after": "0.05" }), 50 * REFUSALS],
    ["ratelimit-reset (50 ms ahead)", () => ({ "ratelimit-limit": "250", "ratelimit-remaining": "0", "ratelimit-reset": String((Date.now() + 50) / 1000) }), 40 * REFUSALS],
    ["neither header (backoff)", () => ({}), 0],
  ] as const) {
    scenario(GROUP, `${CALLS} calls (GETs and creates), each refused ${REFUSALS} times with ${label}: all succeed, every create runs once`, async (row) => {
      const { results, elapsedMs, creates, requests } = await storm(headers);
      row.requests = requests;
      row.faults = `${n(CALLS * REFUSALS)} × 429, ${label}`;
      row.figure = `${results.filter((r) => r.status === "fulfilled").length}/${CALLS} ok in ${elapsedMs} ms; ${creates} creates run for ${CALLS / 2} calls`;
      assert.deepEqual(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)), []);
      assert.equal(creates, CALLS / 2, "a 429 did not run the create, so resending it is safe and makes exactly one");
      assert.equal(requests, CALLS * (REFUSALS + 1));
      assert.ok(elapsedMs >= minimumWaitMs, `the waits the server asked for were kept (${elapsedMs} ms)`);
    });
  }

  scenario(GROUP, "a 429 asking for an hour fails at once with RateLimitError (retryAfterInMs set), without waiting", async (row) => {
    server = await httpServer((_request, response) => json(response, 429, { id: "too_many_requests", message: "slow down" }, { "retry-after": "3600" }));
    const started = Date.now();
    const error = await clientOf(server.url).droplets.get(1).then(() => undefined, (e: unknown) => e);
    const elapsedMs = Date.now() - started;
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.retryAfterInMs, 3_600_000);
    assert.ok(elapsedMs < 1000, `${elapsedMs} ms`);
    row.requests = server.received();
    row.faults = "429, retry-after: 3600";
    row.figure = `RateLimitError after ${elapsedMs} ms`;
  });
});
