import assert from "node:assert/strict";
import { InvalidTokenError, type DigitalOceanClient } from "../../src/index.js";
import type { FakeDigitalOcean } from "../../src/testing/index.js";
import { useVirtualFake } from "./helpers.js";

// Waiters and resumed pollers resolve with what their types say (issue 21, section 2).
describe("typed results of resumed pollers and deletion waits", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  useVirtualFake((f, c) => ((fake = f), (client = c)));

  const dropletBody = { name: "web-1", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" };

  it("resumePoller(token, name) resumes a token of that poller and resolves with its resource", async () => {
    const token = await client.pollers.droplet(client.droplets.create(dropletBody)).serialize();
    const resumed = client.resumePoller(token, "droplet");
    const states: string[] = [];
    resumed.onProgress((state) => states.push(state.resource?.status ?? "?"));
    const done = resumed.pollUntilDone();
    await fake.clock.runUntilIdle();
    const droplet = await done;
    assert.equal(droplet.status, "active");
    assert.equal(droplet.name, "web-1");
    assert.ok(states.includes("active"), states.join());
  });

  it("resumePoller(token, name) refuses another poller's token before sending anything", async () => {
    const token = await client.pollers.droplet(client.droplets.create(dropletBody)).serialize();
    const before = Object.values(fake.executionCounts()).reduce((sum, count) => sum + count, 0);
    assert.throws(
      () => client.resumePoller(token, "volume"),
      (error: unknown) => error instanceof InvalidTokenError && error.kind === "poller" && /droplet poller's, not a volume poller's/.test(error.message) && error.message.length < 300,
    );
    const after = Object.values(fake.executionCounts()).reduce((sum, count) => sum + count, 0);
    assert.equal(after, before, "no request");
    // The untyped form still resumes any poller's token.
    assert.equal(client.resumePoller(token).initialResponse, undefined);
  });

  it("resumePoller refuses a name that is no poller's, without echoing it", () => {
    const name = "x".repeat(10_000);
    assert.throws(
      () => client.resumePoller("tsdo.poller.v2.e30", name as "droplet"),
      (error: unknown) => error instanceof TypeError && /poller name must be one of droplet, volume/.test(error.message) && !error.message.includes("xxxx"),
    );
  });

  it("waitFor.dropletDeleted resolves with nothing, even when `until` ends it early", async () => {
    const [gone, kept] = fake.seed({ droplets: [{ ...dropletBody, name: "gone" }, { ...dropletBody, name: "kept" }] }).droplets;
    const deleting = client.waitFor.dropletDeleted(gone!.id);
    await client.droplets.destroy(gone!.id);
    await fake.clock.runUntilIdle();
    assert.equal(await deleting, undefined);
    // `until` ends the wait while the droplet is still there: it still resolves with nothing, as typed.
    const ended = client.waitFor.dropletDeleted(kept!.id, { until: (droplet) => droplet.status === "active" });
    await fake.clock.runUntilIdle();
    assert.equal(await ended, undefined);
  });
});
