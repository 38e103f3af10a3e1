import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import { toCredential } from "./credential.js";
import { GeneratedClient, type GeneratedClientOptions } from "./generatedClient.js";
import { brandClasses } from "./core/brand.js";

/** Options of `DigitalOceanClient`. */
export type DigitalOceanClientOptions = GeneratedClientOptions;

/**
 * The DigitalOcean API client (pydo's `Client`): a personal access token, or
 * `process.env.DIGITALOCEAN_TOKEN` when none is given.
 *
 * ```ts
 * const client = new DigitalOceanClient(process.env.DIGITALOCEAN_TOKEN);
 * const { droplet } = await client.droplets.get(42);
 * ```
 */
export class DigitalOceanClient extends GeneratedClient {
  constructor(token?: string | TokenCredential | KeyCredential, options: DigitalOceanClientOptions = {}) {
    super(toCredential(token ?? process.env.DIGITALOCEAN_TOKEN, "API token", "DIGITALOCEAN_TOKEN"), options);
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ DigitalOceanClient });
