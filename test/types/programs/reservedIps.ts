// Reserved IPs: the assigned droplet is a Droplet or null, never `unknown`.
import type { DigitalOceanClient, ReservedIp } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ ip: string; dropletId: number | undefined }[]> {
  await client.reservedIPs.create({ region: "nyc3" });
  const ips: ReservedIp[] = [];
  for await (const ip of client.reservedIPs.list()) ips.push(ip);
  return ips.map((ip) => ({ ip: ip.ip, dropletId: ip.droplet?.id }));
}
