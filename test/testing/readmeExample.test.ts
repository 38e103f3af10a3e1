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

describe("README: waiting for resources, on the fake's virtual clock", () => {
  it("runs the example as written", async () => {
    const body = { name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "workers", size: "s-2vcpu-4gb", count: 3 }] };
    const fake = await startFakeDigitalOcean({ clock: "virtual" });
    try {
      const client = createTestClient(fake); // its waiters run on fake.clock
      const { kubernetes_cluster } = await client.kubernetes.createCluster(body);
      const ready = client.waitFor.kubernetesCluster(kubernetes_cluster!.id!);
      await fake.clock.advance(60_000); // one virtual minute: still provisioning
      await fake.clock.runUntilIdle(); // until nothing is scheduled
      assert.equal((await ready).status?.state, "running");
      fake.lifecycles.failNext("kubernetesCluster"); // the next cluster ends in `error`

      const dbBody = { name: "db", engine: "pg" as const, size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 };
      const poller = client.pollers.databaseCluster(client.databases.createCluster(dbBody));
      await poller.submitted();
      const password = poller.initialResponse?.database?.connection?.password; // only the create answers it
      const token = poller.toString(); // small; never holds the create's answer
      const resumed = client.resumePoller(token);
      const done = resumed.then((database) => database);
      await fake.clock.runUntilIdle();
      assert.equal(((await done) as { status?: string }).status, "online");
      assert.equal(typeof password, "string");
      assert.ok(!token.includes(String(password)));
    } finally {
      await fake.close();
    }
  });
});
