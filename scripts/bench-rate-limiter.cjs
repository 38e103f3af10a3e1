// CPU the rate limiter adds per request, in-process and on Redis (run `npm run bench:rate-limit`).
// The policy runs against a stand-in for the rest of the pipeline that answers at once with
// DigitalOcean's headers, so what is measured is the limiter alone: acquire, route matching,
// reading the headers, reconciling. Limits are raised so that no call waits.
const { AzureKeyCredential } = require("@azure/core-auth");
const { createHttpHeaders, createPipelineRequest } = require("@azure/core-rest-pipeline");
const { MemoryRateLimitStore, rateLimitPolicy } = require("../build/src/index.js");
const { RedisRateLimitStore } = require("../build/src/redis/index.js");
const { startRedis } = require("../build/test/support/redis.js");

const endpoint = "https://api.digitalocean.com";
const windows = [
  { name: "hour", limit: 1e9, windowInMs: 3_600_000 },
  { name: "minute", limit: 1e9, windowInMs: 60_000 },
];
// DigitalOcean's route rules, with limits no benchmark reaches: matching them is part of the cost.
const routes = require("../build/src/index.js").DIGITALOCEAN_RATE_LIMITS.routes.map((route) => ({ ...route, limit: 1e9 }));
const headers = createHttpHeaders({ "ratelimit-limit": "1000000000", "ratelimit-remaining": "999999000", "ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 3600) });
const paths = ["/v2/droplets", "/v2/account", "/v2/account/keys", "/v2/cdn/endpoints", "/v2/droplets/42"];

async function cpuPerRequest(policy, count) {
  const next = async (request) => ({ request, status: 200, headers });
  const requests = Array.from({ length: 64 }, (_, i) => createPipelineRequest({ url: endpoint + paths[i % paths.length], method: "GET" }));
  for (let i = 0; i < 2_000; i++) await policy.sendRequest(requests[i % 64], next); // warm-up
  const start = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < count; i++) await policy.sendRequest(requests[i % 64], next);
  const used = process.cpuUsage(start);
  return { cpuUs: (used.user + used.system) / count, wallUs: ((performance.now() - wall) * 1000) / count };
}

(async () => {
  const credential = new AzureKeyCredential("dop_v1_bench");
  const passThrough = { name: "none", sendRequest: (request, next) => next(request) };
  const base = await cpuPerRequest(passThrough, 200_000);
  const memory = await cpuPerRequest(rateLimitPolicy({ credential, endpoint, windows, routes, store: new MemoryRateLimitStore() }), 200_000);
  console.log(`in-process limiter: ${(memory.cpuUs - base.cpuUs).toFixed(2)} µs CPU per request (${memory.cpuUs.toFixed(2)} with the stand-in, ${base.cpuUs.toFixed(2)} without)`);
  let redis;
  try {
    redis = await startRedis();
  } catch (error) {
    console.log(`Redis limiter: not measured (${error.message}); install redis-server`);
    return;
  }
  const { createClient } = require("redis");
  const client = createClient({ url: redis.url });
  client.on("error", () => {});
  await client.connect();
  const shared = await cpuPerRequest(rateLimitPolicy({ credential, endpoint, windows, routes, store: new RedisRateLimitStore(client) }), 5_000);
  console.log(`Redis limiter: ${(shared.cpuUs - base.cpuUs).toFixed(1)} µs CPU and ${shared.wallUs.toFixed(0)} µs wall per request in this process (two Lua scripts on loopback Redis)`);
  client.destroy();
  await redis.stop();
})();
