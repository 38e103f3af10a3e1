// A droplet's whole life: create it, wait until it is active, read its public address, delete it.
import { NotFoundError, type DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

/** Creates a droplet, waits for it, deletes it; returns what it saw along the way. */
export async function createWaitDelete(client: DigitalOceanClient, pollIntervalInMs: number, log: (...values: unknown[]) => void): Promise<{ id: number; status: string; ip: string | undefined; gone: boolean }> {
  const { droplet, links } = await client.droplets.create({
    name: "tsdo-sample-lifecycle",
    region: "nyc3",
    size: "s-1vcpu-512mb-10gb",
    image: "ubuntu-24-04-x64",
    tags: ["tsdo-sample"],
  });
  log(`creating droplet ${droplet.id} (${droplet.status})`);
  try {
    // The create call returns at once; the droplet boots in an action that can be waited for.
    if (links.actions) await client.waitForAction(links.actions, { pollIntervalInMs, timeoutInMs: 10 * 60_000 });
    const { droplet: ready } = await client.droplets.get(droplet.id);
    const ip = ready!.networks?.v4?.find((network) => network.type === "public")?.ip_address;
    log(`droplet ${ready!.id} is ${ready!.status} at ${ip ?? "(no public IPv4)"}`);
    return { id: ready!.id, status: ready!.status, ip, gone: await deleteAndCheck(client, droplet.id) };
  } catch (error) {
    await client.droplets.destroy(droplet.id); // never leave a billed droplet behind
    throw error;
  }
}

async function deleteAndCheck(client: DigitalOceanClient, dropletId: number): Promise<boolean> {
  await client.droplets.destroy(dropletId);
  try {
    await client.droplets.get(dropletId);
    return false; // the real API may still show it for a moment
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
}

runSample(
  module,
  async ({ client, pollIntervalInMs, log }) => {
    const { gone } = await createWaitDelete(client, pollIntervalInMs, log);
    log(gone ? "deleted" : "deletion requested");
  },
  { creates: true },
);
