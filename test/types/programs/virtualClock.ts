// A user's tests of code that creates and then waits, on the fake's virtual clock, as the README's
// "The virtual clock" shows them: the manual clock (runUntilIdle / advance), the "auto" clock, and
// a production-shaped client built on fake.clock.
import assert from "node:assert/strict";
import { DigitalOceanClient, type Droplet } from "tsdo";
import { createTestClient, startFakeDigitalOcean, type FakeClock } from "tsdo/testing";

async function provision(client: DigitalOceanClient): Promise<Droplet> {
  const { droplet } = await client.droplets.create({ name: "web", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
  return client.waitFor.droplet(droplet.id);
}

export async function run(): Promise<string[]> {
  const manual = await startFakeDigitalOcean({ clock: "virtual" });
  const auto = await startFakeDigitalOcean({ clock: "auto" });
  try {
    const p = provision(createTestClient(manual));
    await manual.clock.runUntilIdle();
    const first = await p;

    const second = await provision(createTestClient(auto));

    const clock: FakeClock = manual.clock;
    const production = new DigitalOceanClient(manual.token, { endpoint: manual.url, allowInsecureConnection: true, clock });
    const q = provision(production);
    await manual.clock.advance(60_000);
    const third = await q;
    await production.close();

    const stop: () => void = manual.clock.autoAdvance();
    stop();
    for (const droplet of [first, second, third]) assert.equal(droplet.status, "active");
    return [first.status, second.status, third.status];
  } finally {
    await manual.close();
    await auto.close();
  }
}
