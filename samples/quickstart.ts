// The README's usage example: create a droplet, wait for it, list droplets by tag.
import { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

/** Returns the id of the droplet it created. */
export async function quickstart(client: DigitalOceanClient = new DigitalOceanClient(), log: (...values: unknown[]) => void = console.log): Promise<number> {
  const { droplet, links } = await client.droplets.create({
    name: "web-1",
    region: "nyc3",
    size: "s-1vcpu-1gb",
    image: "ubuntu-24-04-x64",
    tags: ["web"],
  });
  log("creating", droplet.id);
  if (links.actions) await client.waitForAction(links.actions);

  for await (const droplet of client.droplets.list({ tag_name: "web", per_page: 50 })) {
    log(droplet.id, droplet.name, droplet.status);
  }
  return droplet.id;
}

runSample(
  module,
  async ({ client, live, log }) => {
    const dropletId = await quickstart(client, log);
    // The sample removes what it made (only that: other droplets tagged "web" are yours).
    if (live) await client.droplets.destroy(dropletId);
  },
  { creates: true },
);
