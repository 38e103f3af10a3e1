// The README's tsdo/testing example, run as written (imports adjusted to the source tree).
import assert from "node:assert/strict";
import { DigitalOceanClient } from "../../src/index.js";
import { startFakeDigitalOcean, createTestClient, type FakeDigitalOcean } from "../../src/testing/index.js";

describe("README: testing your code with tsdo/testing", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  before(async () => {
    fake = await startFakeDigitalOcean({ actionDelayInMs: 10, seed: { tags: ["web"] } });
    client = createTestClient(fake); // fake.url and fake.token; inference/agent hosts with their own keys
  });
  afterEach(() => fake.reset()); // back to the seed
  after(() => fake.close());

  it("creates exactly one droplet even when the network fails", async () => {
    fake.faults.resetConnection("after", { operationId: "droplets_create" });
    await client.droplets.create({ name: "a", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }).catch(() => {});
    assert.equal(fake.executionCount("droplets_create"), 1);
  });
});
