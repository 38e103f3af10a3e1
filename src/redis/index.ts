// tsdo/redis: a rate-limit store a fleet of processes shares. It takes the caller's connected
// node-redis client and never imports `redis` itself, so the default install pulls no Redis client.
export { RedisRateLimitStore, type RedisRateLimitStoreOptions, type RedisScriptClient } from "./redisStore.js";
