// The README's usage example, compiled with the tests so that it stays true to the API.
import { DigitalOceanClient } from "../src/index.js";

export async function quickstart(client: DigitalOceanClient = new DigitalOceanClient(), log: (...values: unknown[]) => void = console.log): Promise<void> {
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
}
