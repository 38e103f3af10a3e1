// The fleet test: 8 worker processes share one token (and one Redis) against the fake, with the
// limits shrunk so that a burst of 4,000 calls meets them within a minute or two. Processes and
// Redis cannot share a virtual clock: this suite runs in real time, hence its own npm script.
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { join } from "node:path";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { MemoryRateLimitStore, type RateLimitWindow, type RouteRateLimit } from "../../src/index.js";
import { startRedisOrSkip, type TestRedis } from "../support/redis.js";
import type { CallKind, WorkerReport, WorkerTask } from "./worker.js";

const WORKERS = 8;
// DigitalOcean's 5,000/hour and 250/minute, shrunk: the minute window paces, the "hour" is the one
// the headers describe. Per-route limits shrunk alike.
const WINDOWS: RateLimitWindow[] = [
  { name: "hour", limit: 1_000, windowInMs: 20_000 },
  { name: "minute", limit: 100, windowInMs: 2_000 },
];
const ROUTES: RouteRateLimit[] = [
  { name: "reserved-ip-create", method: "POST", path: "/v2/reserved_ips", limit: 12, windowInMs: 2_000 },
  { name: "ssh-keys-list", method: "GET", path: "/v2/account/keys", limit: 10, windowInMs: 2_000 },
  { name: "cdn-endpoints", path: "/v2/cdn/endpoints", match: "prefix", limit: 5, windowInMs: 500 },
  { name: "cdn-purge-files", method: "DELETE", path: "/v2/cdn/endpoints/*/cache", limit: 50, windowInMs: 1_000, cost: "files" },
];

/** Each worker's share of `total` calls: mostly plain reads, every special route in the mix. */
function callsFor(total: number): CallKind[] {
  const pattern: CallKind[] = ["account", "droplets", "account", "droplets", "account", "reservedIp", "account", "droplets", "sshKeys", "account", "droplets", "cdnList", "account", "droplets", "purge", "account", "droplets", "account", "sizes", "account"];
  return Array.from({ length: total / WORKERS }, (_, i) => pattern[i % pattern.length]!);
}

/** Allowed requests within `durationInMs` from an empty budget: the tightest window's bound. */
function allowedWithin(durationInMs: number): number {
  return Math.min(...WINDOWS.map((window) => window.limit * Math.ceil(durationInMs / window.windowInMs)));
}

interface FleetRun {
  reports: WorkerReport[];
  succeeded: number;
  failed: number;
  responses429: number;
  /** Requests answered (a reserved IP call is two: create and release). */
  served: number;
  durationInMs: number;
}

interface RunOptions {
  redis?: TestRedis;
  limiter: boolean;
  maxRetries: number;
  commandTimeoutInMs?: number;
  maxQueueWaitInMs?: number;
  during?: () => Promise<void>;
}

async function runFleet(fake: FakeDigitalOcean, total: number, options: RunOptions): Promise<FleetRun> {
  const task: WorkerTask = {
    url: fake.url,
    token: fake.token,
    redisUrl: options.redis?.url,
    limiter: options.limiter,
    windows: WINDOWS,
    routes: ROUTES,
    calls: callsFor(total),
    concurrency: 4,
    maxRetries: options.maxRetries,
    commandTimeoutInMs: options.commandTimeoutInMs ?? 3_000,
    maxQueueWaitInMs: options.maxQueueWaitInMs ?? 60_000,
  };
  const children = Array.from({ length: WORKERS }, () => fork(join(__dirname, "worker.js"), { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  const reports = Promise.all(
    children.map(
      (child) =>
        new Promise<WorkerReport>((resolve, reject) => {
          child.once("message", (report) => resolve(report as WorkerReport));
          child.once("exit", (code) => reject(new Error(`worker exited with ${code} before reporting`)));
        }),
    ),
  );
  for (const child of children) child.send(task);
  if (options.during) {
    await options.during();
    for (const child of children) child.send("redis-gone");
  }
  const done = await reports;
  const errors: Record<string, number> = {};
  for (const report of done) for (const [name, count] of Object.entries(report.errors)) errors[name] = (errors[name] ?? 0) + count;
  const warnings = done.reduce((sum, report) => sum + report.warnings.length, 0);
  if (warnings > 0 || Object.keys(errors).length > 0) console.log(`    (${warnings} warnings; failures: ${JSON.stringify(errors)})`);
  const first = Math.min(...done.map((report) => report.firstSentAt));
  const last = Math.max(...done.map((report) => report.lastSentAt));
  return {
    reports: done,
    succeeded: done.reduce((sum, report) => sum + report.succeeded, 0),
    failed: done.reduce((sum, report) => sum + report.failed, 0),
    responses429: done.reduce((sum, report) => sum + report.responses429, 0),
    served: done.reduce((sum, report) => sum + report.served, 0),
    durationInMs: last - first,
  };
}

describe("fleet: 8 processes, one token, one Redis", function () {
  this.timeout(180_000);
  let redis: TestRedis;
  let fake: FakeDigitalOcean;

  before(async function () {
    redis = await startRedisOrSkip(this);
  });
  beforeEach(async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { windows: WINDOWS, routes: ROUTES } });
    // Up to 32 workers' calls create a reserved IP at once (each releases it again).
    fake.state.account.floating_ip_limit = 100;
  });
  afterEach(() => fake.close());
  after(() => redis?.stop());

  it("4,000 mixed calls: no 429, every call succeeds, and the fleet uses at least 90% of the allowed rate", async () => {
    const run = await runFleet(fake, 4_000, { redis, limiter: true, maxRetries: 3 });
    const allowed = allowedWithin(run.durationInMs);
    const used = run.served / allowed;
    console.log(`    fleet: ${run.succeeded} calls (${run.served} requests) in ${run.durationInMs} ms, ${run.responses429} 429s; allowed ${allowed}: ${(used * 100).toFixed(1)}% used`);
    assert.equal(run.responses429, 0);
    assert.equal(run.failed, 0);
    assert.equal(run.succeeded, 4_000);
    assert.ok(used >= 0.9, `used ${(used * 100).toFixed(1)}% of the allowed rate`);
  });

  it("control: the same fleet with the limiter off earns 429s", async () => {
    const run = await runFleet(fake, 800, { limiter: false, maxRetries: 0 });
    console.log(`    control: ${run.responses429} 429s of ${run.succeeded + run.failed} calls`);
    assert.ok(run.responses429 > 100, `${run.responses429} 429s`);
  });

  it("adapts through the headers when a client outside the fleet spends part of the budget: no 429 beyond the first", async () => {
    // Another tool on the same token, with a budget of its own, spends 300 of the 1,000 "hourly"
    // requests; then the fleet starts, with a log that knows nothing of them.
    const outsider = createTestClient(fake, { rateLimitOptions: { windows: WINDOWS, routes: ROUTES, store: new MemoryRateLimitStore() } });
    await Promise.all(Array.from({ length: 300 }, () => outsider.account.get()));
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const run = await runFleet(fake, 800, { redis, limiter: true, maxRetries: 3 });
    console.log(`    outsider: fleet ${run.succeeded} calls in ${run.durationInMs} ms with ${run.responses429} 429s`);
    assert.ok(run.responses429 <= 1, `${run.responses429} 429s`);
    assert.equal(run.failed, 0);
  });

  it("Redis killed mid-run: calls go on in-process, nothing hangs, a warning is logged", async function () {
    const own = await startRedisOrSkip(this);
    const started = Date.now();
    // Once Redis is gone, 8 processes pace alone and overrun the fake: calls that cannot be sent
    // soon fail fast (no retries, a short queue limit) instead of holding the run.
    const run = await runFleet(fake, 800, {
      redis: own,
      limiter: true,
      maxRetries: 0,
      commandTimeoutInMs: 500,
      maxQueueWaitInMs: 3_000,
      during: async () => {
        // Mid-run: once the fleet has made a quarter of its calls.
        while (Object.values(fake.executionCounts()).reduce((sum, count) => sum + count, 0) < 200) await new Promise((resolve) => setTimeout(resolve, 50));
        await own.stop();
      },
    });
    console.log(`    redis killed: ${run.succeeded} succeeded, ${run.failed} failed, ${run.responses429} 429s, in ${Date.now() - started} ms`);
    for (const report of run.reports) {
      assert.ok(report.succeededAfterSignal > 0, "calls went on after Redis died");
      assert.ok(report.warnings.some((line) => line.includes("Redis is unreachable")), `warning logged: ${report.warnings.join("; ")}`);
    }
    assert.equal(run.succeeded + run.failed, 800, "every call settled");
  });
});
