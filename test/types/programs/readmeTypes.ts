// The README's "Types" example, as written there (the reserved IP is created first so it exists).
import type { DigitalOceanClient, Droplet } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ status: Droplet["status"]; assigned: number | undefined }> {
  const { reserved_ip } = await client.reservedIPs.create({ region: "nyc3" });
  const DEFAULTS = { region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", tags: ["worker"] } as const;
  const { droplet } = await client.droplets.create({ ...DEFAULTS, name: "worker-1" });
  const status: Droplet["status"] = droplet.status; // the envelope key is always there
  const { volume } = await client.volumes.create({ name: "data", size_gigabytes: 10, region: DEFAULTS.region });
  const { action } = await client.volumeActions.postById(volume.id, { type: "attach", droplet_id: droplet.id });
  await client.waitForAction(action);
  const assigned: number | undefined = (await client.reservedIPs.get(reserved_ip.ip)).reserved_ip.droplet?.id;
  return { status, assigned };
}
