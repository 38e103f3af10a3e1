/**
 * `tsdo/testing`: an in-process fake of DigitalOcean's API for offline, fast, free tests.
 *
 * ```ts
 * const fake = await startFakeDigitalOcean();
 * const client = createTestClient(fake);
 * // … exercise code that uses `client` …
 * await fake.close();
 * ```
 */
export { startFakeDigitalOcean, type FakeDigitalOcean, type FakeDigitalOceanOptions } from "./fake.js";
export { createTestClient } from "./testClient.js";
export type { FaultControls, FaultTarget, InjectedFaultKind, RandomFaultShares } from "./faults.js";
export type { RateLimitOptions } from "./rateLimit.js";
export type { DropletSeed, FakeSeed, FirewallSeed, SeededResources, VolumeSeed } from "./seed.js";
export type { FakeState, ProjectAssignment } from "./state.js";
export type { FallbackResponse, FallbackTable } from "./fallback.js";
export type { HttpMethod } from "./route.js";
export type * from "./types.js";
