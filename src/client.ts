import { AzureKeyCredential, isTokenCredential, type KeyCredential, type TokenCredential } from "@azure/core-auth";
import { GeneratedClient, type GeneratedClientOptions } from "./generatedClient.js";

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
    super(toCredential(token), options);
  }
}

function toCredential(token: string | TokenCredential | KeyCredential | undefined): TokenCredential | KeyCredential {
  if (token !== undefined && typeof token !== "string") {
    if (isTokenCredential(token) || typeof (token as KeyCredential).key === "string") return token;
    throw new TypeError("DigitalOceanClient: the token must be a string, a TokenCredential or a KeyCredential");
  }
  const value = (token ?? process.env.DIGITALOCEAN_TOKEN ?? "").trim();
  if (value === "") {
    throw new TypeError(
      "DigitalOceanClient: no API token. Pass one (new DigitalOceanClient(token)) or set the DIGITALOCEAN_TOKEN environment variable.",
    );
  }
  return new AzureKeyCredential(value);
}
