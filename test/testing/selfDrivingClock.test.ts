// The virtual clock drives itself (issue 21, section 1): runUntilIdle and advance wait for the work
// in flight (a create on the wire, the answer's continuation scheduling its waiter), the "auto"
// clock moves by itself when nothing is in flight, the rate limiter queues in virtual time, and
// fake.clock is a client clock of its own.
import assert from "node:assert/strict";
import { DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

const body = { name: "web", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };

/** Code under test as users write it: create, then wait inside one function. */
async function provision(client: DigitalOceanClient, pollIntervalInMs?: number) {
  const { droplet } = await client.droplets.create(body);
  return client.waitFor.droplet(droplet.id, pollIntervalInMs === undefined ? {} : { pollIntervalInMs });
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the virtual clock drives itself", function () {
  this.timeout(8000);
  let fake: FakeDigitalOcean | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("runUntilIdle called right after provision() waits for the create, then runs the waiter to its end", async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual", actionDelayInMs: 30_000 });
    // The create takes a while on the wire (as a first request loading the pipeline does).
    fake.faults.latency(100, { operationId: "droplets_create" });
    const startedAt = fake.clock.now();
    const p = provision(createTestClient(fake));
    await fake.clock.runUntilIdle();
    const droplet = await p;
    assert.equal(droplet.status, "active");
    assert.ok(fake.clock.now() - startedAt >= 30_000, "the droplet booted in virtual time");
  });

  it("advance(60_000) right after provision() lets one virtual minute of polling happen", async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual", actionDelayInMs: 120_000 });
    const p = provision(createTestClient(fake), 10_000);
    await fake.clock.advance(60_000);
    // One poll at once, then one every 10 s up to and including the minute's end.
    assert.equal(fake.executionCount("droplets_get"), 1 + 60_000 / 10_000);
    await fake.clock.runUntilIdle();
    assert.equal((await p).status, "active");
    assert.equal(fake.executionCount("droplets_get"), 1 + 120_000 / 10_000);
  });

  it("time does not move while a request of a client not on the clock is being served", async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual" });
    fake.faults.latency(300, { operationId: "account_get" });
    const order: string[] = [];
    void fake.clock.sleep(1000).then(() => order.push("timer"));
    const plain = new DigitalOceanClient(fake.token, { endpoint: fake.url, allowInsecureConnection: true, rateLimitOptions: { enabled: false } });
    const answered = plain.account.get().then(() => order.push("answer"));
    // Let the request reach the fake (short real time), which then serves it for 300 ms.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await fake.clock.runUntilIdle();
    await answered;
    assert.deepEqual(order, ["answer", "timer"]);
    await plain.close();
  });

  describe('clock: "auto"', () => {
    it("awaits provision() with no clock calls, in virtual time", async () => {
      fake = await startFakeDigitalOcean({ clock: "auto", actionDelayInMs: 7 * 60_000 });
      const startedAt = fake.clock.now();
      const realStart = Date.now();
      const droplet = await provision(createTestClient(fake));
      assert.equal(droplet.status, "active");
      assert.ok(fake.clock.now() - startedAt >= 7 * 60_000);
      assert.ok(Date.now() - realStart < 2000, "seven virtual minutes take well under 2 s");
    });

    it("does not jump while a request is in flight", async () => {
      fake = await startFakeDigitalOcean({ clock: "auto" });
      fake.faults.latency(300, { operationId: "droplets_create" });
      let fired = false;
      void fake.clock.sleep(1000).then(() => (fired = true));
      await createTestClient(fake).droplets.create(body);
      assert.equal(fired, false, "the 1 s timer waited for the 300 ms (real) create");
      while (!fired) await turn();
    });

    it("autoAdvance() on a virtual fake returns what stops it", async () => {
      fake = await startFakeDigitalOcean({ clock: "virtual", actionDelayInMs: 60_000 });
      const stop = fake.clock.autoAdvance();
      const client = createTestClient(fake);
      assert.equal((await provision(client)).status, "active");
      stop();
      const at = fake.clock.now();
      let fired = false;
      void fake.clock.sleep(1000).then(() => (fired = true));
      for (let i = 0; i < 20; i++) await turn();
      assert.equal(fired, false);
      assert.equal(fake.clock.now(), at);
      await fake.clock.advance(1000);
      assert.equal(fired, true);
    });

    it("is refused on real time", async () => {
      fake = await startFakeDigitalOcean();
      assert.throws(() => fake!.clock.autoAdvance(), (error: unknown) => error instanceof TypeError && /real time/.test(error.message));
    });
  });

  it("createTestClient's rate limiter keeps the 250-a-minute budget in virtual time", async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual" });
    const client = createTestClient(fake);
    const startedAt = fake.clock.now();
    const realStart = Date.now();
    // The minute's budget, spent at once (virtual time stands still meanwhile)...
    await Promise.all(Array.from({ length: 250 }, () => client.account.get()));
    assert.equal(fake.clock.now(), startedAt);
    // ...so the next calls queue in the limiter until the first slot frees, a virtual minute on.
    const calls = Array.from({ length: 10 }, () => client.account.get());
    await fake.clock.runUntilIdle();
    assert.equal((await Promise.all(calls)).length, 10);
    // No 429 was earned (a 429'd request does not run; its retry would wait in real time).
    assert.equal(fake.executionCount("account_get"), 260);
    assert.ok(fake.clock.now() - startedAt >= 60_000, "the last 10 calls queued a virtual minute");
    assert.ok(Date.now() - realStart < 5000);
  });

  it("fake.clock is a client clock: a production-shaped client waits on it", async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual", actionDelayInMs: 60_000 });
    const client = new DigitalOceanClient(fake.token, { endpoint: fake.url, allowInsecureConnection: true, clock: fake.clock });
    fake.faults.latency(100, { operationId: "droplets_create" });
    const p = provision(client);
    await fake.clock.runUntilIdle();
    assert.equal((await p).status, "active");
    await client.close();
  });
});

describe("README: the virtual clock's two modes, as written", () => {
  const body = { name: "web", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };
  async function provision(client: DigitalOceanClient) {
    const { droplet } = await client.droplets.create(body);
    return client.waitFor.droplet(droplet.id);
  }

  it('clock: "virtual"', async () => {
    const fake = await startFakeDigitalOcean({ clock: "virtual" });
    try {
      const client = createTestClient(fake); // waiters and rate limiter on fake.clock
      const p = provision(client); // not awaited yet
      await fake.clock.advance(60_000); // one virtual minute of polling really happens
      await fake.clock.runUntilIdle(); // until nothing is scheduled
      assert.equal((await p).status, "active");
      fake.lifecycles.failNext("kubernetesCluster"); // the next cluster ends in `error`
    } finally {
      await fake.close();
    }
  });

  it('clock: "auto"', async () => {
    const fake = await startFakeDigitalOcean({ clock: "auto" });
    try {
      const droplet = await provision(createTestClient(fake)); // the boot's wait passes in virtual time
      assert.equal(droplet.status, "active");
    } finally {
      await fake.close();
    }
  });
});
