import { DigitalOceanClient, type DigitalOceanClientOptions } from "../client.js";
import type { FakeDigitalOcean } from "./fake.js";
import { VirtualClock } from "./virtualClock.js";

/**
 * A client wired to `fake` as to the real service: its token and URL as the API endpoint, the fake's
 * inference and agent hosts with their own keys (so the API token never goes there), plain HTTP
 * allowed (the fake has no TLS), the rate limiter paced to the fake's limits, and, for a fake on
 * the virtual clock, its waiters and rate limiter on `fake.clock` and its requests tracked there.
 */
export function createTestClient(
  fake: Pick<FakeDigitalOcean, "url" | "token" | "inferenceUrl" | "inferenceKey" | "agentUrl" | "agentKey"> & Partial<Pick<FakeDigitalOcean, "clock" | "rateLimits">>,
  options: DigitalOceanClientOptions = {},
): DigitalOceanClient {
  return new DigitalOceanClient(fake.token, {
    endpoint: fake.url,
    inferenceEndpoint: fake.inferenceUrl,
    inferenceKey: fake.inferenceKey,
    agentEndpoint: fake.agentUrl,
    agentKey: fake.agentKey,
    allowInsecureConnection: true,
    ...(fake.clock instanceof VirtualClock ? { clock: fake.clock } : {}),
    ...options,
    // Paced to the fake's own limits, as a client of the real service is to DigitalOcean's; on the
    // virtual clock the limiter counts and queues in virtual time, as the fake counts.
    rateLimitOptions: {
      ...(fake.rateLimits && { windows: fake.rateLimits.windows, routes: fake.rateLimits.routes }),
      ...options.rateLimitOptions,
    },
  });
}
