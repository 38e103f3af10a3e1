// Provisioning a droplet with a volume and a firewall, from a team's `as const` defaults.
import type { Action, DigitalOceanClient, Firewall, Volume } from "tsdo";

const DEFAULTS = {
  region: "nyc3",
  size: "s-1vcpu-1gb",
  image: "ubuntu-24-04-x64",
  tags: ["worker"],
  monitoring: true,
} as const;

export async function run(client: DigitalOceanClient): Promise<{ dropletId: number; volume: Volume; firewall: Firewall; action: Action }> {
  const { droplet, links } = await client.droplets.create({ ...DEFAULTS, name: "worker-1" });
  await client.waitForAction(links.actions ?? []);
  const { volume } = await client.volumes.create({ name: "data-1", size_gigabytes: 10, region: DEFAULTS.region, tags: DEFAULTS.tags });
  const { action } = await client.volumeActions.postById(volume.id, { type: "attach", droplet_id: droplet.id });
  const done = await client.waitForAction(action);
  const { firewall } = await client.firewalls.create({
    name: "worker-fw",
    droplet_ids: [droplet.id],
    inbound_rules: [{ protocol: "tcp", ports: "22", sources: { addresses: ["0.0.0.0/0"] } }],
    outbound_rules: [{ protocol: "tcp", ports: "all", destinations: { addresses: ["0.0.0.0/0"] } }],
  });
  return { dropletId: droplet.id, volume, firewall, action: done };
}
