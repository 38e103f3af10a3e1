// One process of the fleet: a client on the shared token, its share of the calls, a report back.
import { AzureLogger, setLogLevel } from "@azure/logger";
import { createClient } from "redis";
import { DigitalOceanClient, type RateLimitWindow, type RouteRateLimit } from "../../src/index.js";
import { RedisRateLimitStore } from "../../src/redis/index.js";

/** What the parent tells a worker. */
export interface WorkerTask {
  url: string;
  token: string;
  /** Shared store; none: each worker paces alone. */
  redisUrl: string | undefined;
  limiter: boolean;
  windows: RateLimitWindow[];
  routes: RouteRateLimit[];
  calls: CallKind[];
  concurrency: number;
  maxRetries: number;
  /** Redis commands slower than this count as an outage (a loaded CI machine needs slack). */
  commandTimeoutInMs: number;
  maxQueueWaitInMs: number;
}

/** What a worker reports. */
export interface WorkerReport {
  succeeded: number;
  failed: number;
  /** Responses with status 429, retried ones included. */
  responses429: number;
  /** Requests the fake answered with anything but 429. */
  served: number;
  firstSentAt: number;
  lastSentAt: number;
  /** Calls that succeeded after the parent said Redis was gone. */
  succeededAfterSignal: number;
  warnings: string[];
  /** Failed calls by error name and status. */
  errors: Record<string, number>;
}

export type CallKind = "account" | "sizes" | "droplets" | "reservedIp" | "sshKeys" | "cdnList" | "purge";

const CDN_ID = "19f06b6a-3ace-4315-b086-499a0e521b76";

function run(client: DigitalOceanClient, kind: CallKind): PromiseLike<unknown> {
  switch (kind) {
    case "account":
      return client.account.get();
    case "sizes":
      return client.sizes.list();
    case "droplets":
      return client.droplets.list();
    case "reservedIp":
      // Created and released again: the fake, like DigitalOcean, caps how many an account holds.
      return client.reservedIPs.create({ region: "nyc3" }).then(({ reserved_ip }) => client.reservedIPs.delete(reserved_ip!.ip!));
    case "sshKeys":
      return client.sshKeys.list();
    case "cdnList":
      return client.cdn.listEndpoints();
    case "purge":
      return client.cdn.purgeCache(CDN_ID, { files: ["assets/a.css", "assets/b.js", "img/*"] });
  }
}

async function main(task: WorkerTask): Promise<WorkerReport> {
  const warnings: string[] = [];
  AzureLogger.log = (...args: unknown[]) => {
    const line = args.join(" ");
    if (line.includes("warning")) warnings.push(line);
  };
  setLogLevel("warning");
  let store: RedisRateLimitStore | undefined;
  if (task.redisUrl !== undefined) {
    const redis = createClient({ url: task.redisUrl, socket: { reconnectStrategy: 100 } });
    redis.on("error", () => {});
    // A Redis that is already gone must not hold the worker: the store paces in-process until it is ready.
    await Promise.race([redis.connect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    store = new RedisRateLimitStore(redis, { commandTimeoutInMs: task.commandTimeoutInMs, retryInMs: 1_000 });
  }
  let responses429 = 0;
  let served = 0;
  let firstSentAt = Infinity;
  let lastSentAt = 0;
  const client = new DigitalOceanClient(task.token, {
    endpoint: task.url,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: task.maxRetries, retryDelayInMs: 50 },
    rateLimitOptions: task.limiter ? { windows: task.windows, routes: task.routes, store, maxQueueWaitInMs: task.maxQueueWaitInMs } : { enabled: false },
    additionalPolicies: [
      {
        position: "perRetry",
        policy: {
          name: "fleet-count",
          async sendRequest(request, next) {
            const now = Date.now();
            firstSentAt = Math.min(firstSentAt, now);
            lastSentAt = Math.max(lastSentAt, now);
            const response = await next(request);
            if (response.status === 429) responses429++;
            else served++;
            return response;
          },
        },
      },
    ],
  });
  let signalled = false;
  process.on("message", (message) => {
    if (message === "redis-gone") signalled = true;
  });
  let next = 0;
  let succeeded = 0;
  let failed = 0;
  let succeededAfterSignal = 0;
  const errors: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: task.concurrency }, async () => {
      while (next < task.calls.length) {
        const kind = task.calls[next++]!;
        try {
          await run(client, kind);
          succeeded++;
          if (signalled) succeededAfterSignal++;
        } catch (error) {
          failed++;
          const name = `${kind}: ${(error as Error).name} ${(error as { statusCode?: number }).statusCode ?? ""}`;
          errors[name] = (errors[name] ?? 0) + 1;
        }
      }
    }),
  );
  return { succeeded, failed, responses429, served, firstSentAt, lastSentAt, succeededAfterSignal, warnings, errors };
}

process.once("message", (task: WorkerTask) => {
  main(task).then(
    (report) => process.send!(report, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
