/**
 * A client whose API answers with a lying `ratelimit-limit` (LYING_LIMIT, `ratelimit-remaining: 0`),
 * run as its own process (`node --expose-gc --max-old-space-size=...`) so that running out of
 * memory fails this process only and its heap is the limiter's alone. Prints one JSON line:
 * heap growth, the longest event-loop stall and how many calls settled.
 */
import { DigitalOceanClient, MemoryRateLimitStore } from "../../../src/index.js";
import { httpServer, json } from "../../faults/servers.js";

export interface LyingLimitFigures {
  settled: number;
  heapGrowthBytes: number;
  longestStallMs: number;
}

async function main(): Promise<void> {
  const lyingLimit = process.env.LYING_LIMIT ?? "100000000";
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  const server = await httpServer((_request, response) =>
    json(response, 200, { droplet: { id: 1 } }, { "ratelimit-limit": lyingLimit, "ratelimit-remaining": "0", "ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 3600) }),
  );
  const client = new DigitalOceanClient("t0ken", {
    endpoint: server.url,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
    // The default limits (5,000 an hour, 250 a minute); calls the spent budget holds fail at once.
    rateLimitOptions: { store: new MemoryRateLimitStore(), maxQueueWaitInMs: 0 },
  });
  // The first call loads core (a one-off stall of its own) and takes the first lying answer.
  let settled = 0;
  await client.droplets.get(1).finally(() => settled++);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let longestStallMs = 0;
  let last = Date.now();
  const monitor = setInterval(() => {
    const now = Date.now();
    longestStallMs = Math.max(longestStallMs, now - last - 5);
    last = now;
  }, 5);
  for (let i = 1; i < 20; i++) {
    await client.droplets.get(1).then(
      () => settled++,
      () => settled++,
    );
  }
  clearInterval(monitor);
  gc();
  const figures: LyingLimitFigures = { settled, heapGrowthBytes: process.memoryUsage().heapUsed - heapBefore, longestStallMs };
  await client.close();
  await server.close();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

void main();
