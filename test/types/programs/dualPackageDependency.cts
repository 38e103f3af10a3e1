// A dependency written in CommonJS: its `import`s compile to `require`, so it runs on tsdo's
// CommonJS build while the app that uses it (dualPackage.ts) imports tsdo's ESM build.
import type { DigitalOceanClient, Droplet } from "tsdo";
import { createTestClient, type FakeDigitalOcean } from "tsdo/testing";

export function clientFor(fake: FakeDigitalOcean): DigitalOceanClient {
  return createTestClient(fake);
}

export async function dropletById(client: DigitalOceanClient, id: number): Promise<Droplet> {
  return (await client.droplets.get(id)).droplet;
}

export async function createUnnamed(client: DigitalOceanClient): Promise<Droplet> {
  const { droplet } = await client.droplets.create({ name: "", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
  return droplet;
}
