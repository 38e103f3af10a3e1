// The README's tsdo/testing example, run as written (imports adjusted to the source tree).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
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

describe("README: the same with node:test", () => {
  it("passes under `node --test`", function () {
    this.timeout(30_000);
    const result = spawnSync(process.execPath, ["--test", resolve(__dirname, "readmeNodeTest.js")], { encoding: "utf8", timeout: 25_000 });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /# pass 1/);
    assert.match(result.stdout, /# fail 0/);
  });
});
