// The rate limiter's public pieces: the rules, the store interface and the in-process store.
export { DIGITALOCEAN_RATE_LIMITS, type RateLimitRules, type RateLimitWindow, type RouteRateLimit, type WindowDemand } from "./rules.js";
export { MemoryRateLimitStore } from "./memoryStore.js";
export type { AcquireRequest, AcquireResult, Observation, RateLimitStore, ServerReading, SlotRelease } from "./store.js";
export type { CallPriority, QueueView } from "./limiter.js";
