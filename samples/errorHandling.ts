// Telling failures apart by type: every non-2xx answer is a DigitalOceanError subclass; a call that
// got no answer is a ConnectionError, TimeoutError or AbortError.
import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  DigitalOceanError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
  type DigitalOceanClient,
} from "../src/index.js";
import { runSample } from "./run.js";

/** Returns the droplet, or `undefined` when it does not exist; any other failure is thrown on. */
export async function findDroplet(client: DigitalOceanClient, dropletId: number) {
  try {
    return (await client.droplets.get(dropletId)).droplet;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Creates a droplet; a refusal (unknown region, size or image) comes back as DigitalOcean's message. */
export async function tryCreate(client: DigitalOceanClient, region: string): Promise<string> {
  try {
    const created = await client.droplets.create({ name: "sample", region, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
    return "droplet" in created ? `created ${created.droplet.id}` : "created several";
  } catch (error) {
    if (error instanceof UnprocessableEntityError) return `refused: ${error.message} (request ${error.requestId})`;
    if (error instanceof DigitalOceanError) return `failed with ${error.statusCode} ${error.id}`;
    throw error;
  }
}

/** What to tell a user about any failure of a call: one line per kind, most specific first. */
export function describeError(error: unknown): string {
  if (error instanceof AuthenticationError) return "the token is missing, wrong or revoked (401)";
  if (error instanceof NotFoundError) return `not found (request ${error.requestId})`;
  if (error instanceof RateLimitError) return `rate limited: retry in ${error.retryAfterInMs ?? "?"} ms`;
  if (error instanceof DigitalOceanError) return `DigitalOcean answered ${error.statusCode} ${error.id}: ${error.message}`;
  if (error instanceof TimeoutError) return `no answer within ${error.timeoutInMs} ms`;
  if (error instanceof AbortError) return "cancelled";
  if (error instanceof ConnectionError) return `could not reach DigitalOcean (${error.systemCode})`;
  return `unexpected: ${String(error)}`;
}

runSample(module, async ({ client, live, log }) => {
  log(`droplet 424242: ${(await findDroplet(client, 424242)) ?? "does not exist"}`);
  // A create in a region that does not exist is refused before anything is made.
  if (!live) log(`create in atlantis1: ${await tryCreate(client, "atlantis1")}`);
  log(`getting droplet 424242: ${await client.droplets.get(424242).then(() => "found", describeError)}`);
  log(`with a 1 ms timeout: ${await client.account.get({ timeoutInMs: 1 }).then(() => "answered", describeError)}`);
});
