// Block storage: create a volume, attach it to a droplet, detach it, delete it. Attaching and
// detaching are actions, waited for like a droplet's.
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

const region = "nyc3";

/** Returns the droplets the volume was attached to after each step: `[[dropletId], []]`. */
export async function attachAndDetach(client: DigitalOceanClient, dropletId: number, pollIntervalInMs: number, log: (...values: unknown[]) => void): Promise<number[][]> {
  const { volume } = await client.volumes.create({ name: "tsdo-sample-volume", region, size_gigabytes: 10, filesystem_type: "ext4" });
  const volumeId = volume!.id!;
  log(`created volume ${volume!.name} (${volumeId}), ${volume!.size_gigabytes} GiB in ${region}`);
  const attachedTo: number[][] = [];
  try {
    for (const type of ["attach", "detach"] as const) {
      const { action } = await client.volumeActions.postById(volumeId, { type, droplet_id: dropletId, region });
      await client.waitForAction(action!, { pollIntervalInMs });
      const { volume: now } = await client.volumes.get(volumeId);
      attachedTo.push(now!.droplet_ids ?? []);
      log(`${type}ed: attached to [${(now!.droplet_ids ?? []).join(", ")}]`);
    }
  } finally {
    await client.volumes.delete(volumeId);
    log(`deleted volume ${volumeId}`);
  }
  return attachedTo;
}

runSample(
  module,
  async ({ client, live, pollIntervalInMs, log }) => {
    if (!live) {
      const [droplet] = (await client.droplets.list()).droplets ?? [];
      await attachAndDetach(client, droplet!.id, pollIntervalInMs, log);
      return;
    }
    // On the real API the volume needs a droplet to attach to: one is made, and removed after.
    const { droplet, links } = await client.droplets.create({ name: "tsdo-sample-volumes", region, size: "s-1vcpu-512mb-10gb", image: "ubuntu-24-04-x64" });
    try {
      if (links.actions) await client.waitForAction(links.actions, { pollIntervalInMs });
      await attachAndDetach(client, droplet.id, pollIntervalInMs, log);
    } finally {
      await client.droplets.destroy(droplet.id);
    }
  },
  { creates: true, seed: { droplets: [{ name: "app-1", region, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }] } },
);
