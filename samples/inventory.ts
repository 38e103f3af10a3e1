// An inventory of the account: every droplet, volume, domain, firewall and SSH key, however many
// pages each list takes. `for await` follows `links.pages.next` itself, one request per page.
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

/** One line per resource, grouped by kind. */
export async function inventory(client: DigitalOceanClient, perPage = 20): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = { droplets: [], volumes: [], domains: [], firewalls: [], sshKeys: [] };
  for await (const droplet of client.droplets.list({ per_page: perPage })) {
    found.droplets!.push(`${droplet.name} (${droplet.region?.slug}, ${droplet.status})`);
  }
  for await (const volume of client.volumes.list({ per_page: perPage })) found.volumes!.push(`${volume.name} (${volume.size_gigabytes} GiB)`);
  for await (const domain of client.domains.list({ per_page: perPage })) found.domains!.push(`${domain.name}`);
  for await (const firewall of client.firewalls.list({ per_page: perPage })) found.firewalls!.push(`${firewall.name} (${firewall.status})`);
  for await (const key of client.sshKeys.list({ per_page: perPage })) found.sshKeys!.push(`${key.name}`);
  return found;
}

const shape = { region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };
runSample(
  module,
  async ({ client, log }) => {
    for (const [kind, lines] of Object.entries(await inventory(client))) {
      log(`${kind}: ${lines.length}`);
      for (const line of lines.slice(0, 5)) log(`  ${line}`);
      if (lines.length > 5) log(`  … and ${lines.length - 5} more`);
    }
  },
  {
    // 25 droplets: two pages of 20 in the listing.
    seed: {
      droplets: Array.from({ length: 25 }, (_, i) => ({ name: `web-${i + 1}`, ...shape })),
      volumes: [{ name: "data", size_gigabytes: 100, region: "nyc3" }],
      domains: [{ name: "example.com" }],
    },
  },
);
