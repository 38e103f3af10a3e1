// Inventory across resources: every list's items typed by their natural names, fields the API always returns not optional.
import type { DigitalOceanClient, Droplet, SshKey, Tag, Volume } from "tsdo";

export interface Inventory {
  readonly droplets: readonly { id: number; name: string; status: Droplet["status"]; region: string }[];
  readonly volumes: readonly { id: string; name: string; sizeGigabytes: number }[];
  readonly sshKeys: readonly string[];
  readonly tags: readonly string[];
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export async function run(client: DigitalOceanClient): Promise<Inventory> {
  const droplets: Droplet[] = await collect(client.droplets.list());
  const volumes: Volume[] = await collect(client.volumes.list());
  const keys: SshKey[] = await collect(client.sshKeys.list());
  const tags: Tag[] = (await client.tags.list()).tags;
  return {
    droplets: droplets.map((d) => ({ id: d.id, name: d.name, status: d.status, region: d.region.slug })),
    volumes: volumes.map((v) => ({ id: v.id, name: v.name, sizeGigabytes: v.size_gigabytes })),
    sshKeys: keys.map((k) => k.fingerprint),
    tags: tags.map((t) => t.name),
  };
}
