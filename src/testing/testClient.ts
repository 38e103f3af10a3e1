import { DigitalOceanClient, type DigitalOceanClientOptions } from "../client.js";
import type { FakeDigitalOcean } from "./fake.js";

/**
 * A client wired to `fake`: its token, its URL as the endpoint (for the inference and agent
 * operations too, which the fake also answers), plain HTTP allowed (the fake has no TLS).
 */
export function createTestClient(fake: Pick<FakeDigitalOcean, "url" | "token">, options: DigitalOceanClientOptions = {}): DigitalOceanClient {
  return new DigitalOceanClient(fake.token, {
    endpoint: fake.url,
    inferenceEndpoint: fake.url,
    agentEndpoint: fake.url,
    allowInsecureConnection: true,
    ...options,
  });
}
