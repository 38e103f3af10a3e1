// Many workers on one token, one rate budget: the limiter's logs live on Redis, so every process
// paces against the same hour, minute and per-route windows instead of earning 429s.
import { createClient } from "redis";
import { DigitalOceanClient, type DigitalOceanClientOptions } from "../src/index.js";
import { RedisRateLimitStore } from "../src/redis/index.js";
import { runSample } from "./run.js";

/** Connects to Redis and returns the shared store (and how to close it). */
export async function connectBudget(redisUrl: string): Promise<{ store: RedisRateLimitStore; close(): Promise<void> }> {
  const redis = createClient({ url: redisUrl });
  // node-redis reconnects by itself; meanwhile tsdo paces in-process and logs one warning.
  redis.on("error", () => {});
  await redis.connect();
  return { store: new RedisRateLimitStore(redis), close: () => redis.close() };
}

/** One worker's client: give every worker of the fleet the same token and the same store. */
export function workerClient(token: string, store: RedisRateLimitStore, options: DigitalOceanClientOptions = {}): DigitalOceanClient {
  return new DigitalOceanClient(token, { ...options, rateLimitOptions: { maxQueueWaitInMs: 30_000, ...options.rateLimitOptions, store } });
}

/** A worker's job: tag every droplet it is given; calls wait for a slot of the shared budget. */
export async function tagAll(client: DigitalOceanClient, tag: string, dropletIds: readonly number[]): Promise<number> {
  await client.tags.create({ name: tag }).catch(() => undefined); // another worker may have made it
  await Promise.all(dropletIds.map((id) => client.tags.assignResources(tag, { resources: [{ resource_id: String(id), resource_type: "droplet" }] })));
  return dropletIds.length;
}

// As a program: three workers in one process (clients of one token share a budget in-process
// already; across processes, give each `workerClient(token, store)` with the store from
// `connectBudget(process.env.REDIS_URL)`).
runSample(
  module,
  async ({ client, log }) => {
    const ids = (await client.droplets.list().toArray()).map((droplet) => droplet.id);
    const counts = await Promise.all([0, 1, 2].map((worker) => tagAll(client, "fleet", ids.filter((_, i) => i % 3 === worker))));
    log(`tagged ${counts.reduce((sum, count) => sum + count, 0)} droplets from 3 workers; ${client.rateLimit?.remaining} requests left this hour`);
  },
  { creates: true, seed: { droplets: Array.from({ length: 9 }, (_, i) => ({ name: `worker-${i}`, region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" })) } },
);
