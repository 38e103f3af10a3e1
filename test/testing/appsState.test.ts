// Apps on the fake are stateful in every operation a deploy touches: update, deployments listed
// and read from the history, failed and superseded deployments as DigitalOcean keeps them.
import assert from "node:assert/strict";
import type { DigitalOceanClient } from "../../src/index.js";
import type { FakeDigitalOcean } from "../../src/testing/index.js";
import { useVirtualFake } from "./helpers.js";

const json = { Accept: "application/json", "Content-Type": "application/json" } as const;

async function phases(client: DigitalOceanClient, appId: string): Promise<Map<string, string | undefined>> {
  const seen = new Map<string, string | undefined>();
  for await (const deployment of client.apps.listDeployments(appId)) seen.set(deployment.id ?? "?", deployment.phase);
  return seen;
}

describe("fake DigitalOcean: apps keep state across update and deployments", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  useVirtualFake((f, c) => ((fake = f), (client = c)));

  it("a new app has no active_deployment until its first deployment is ACTIVE, then it is that deployment", async () => {
    const { app } = await client.apps.create({ spec: { name: "web" } }, json);
    assert.equal(app.active_deployment, undefined);
    const first = app.in_progress_deployment?.id;
    assert.ok(first);
    assert.equal((await client.apps.get(app.id ?? "")).app.active_deployment, undefined, "still building");
    await fake.clock.runUntilIdle();
    const { app: live } = await client.apps.get(app.id ?? "");
    assert.equal(live.active_deployment?.id, first);
    assert.equal(live.active_deployment?.phase, "ACTIVE");
    assert.equal(live.in_progress_deployment, undefined);
  });

  it("apps.update keeps the app's id, stores the new spec and starts a deployment of it, listed and read from state", async () => {
    const { app } = await client.apps.create({ spec: { name: "web" } }, json);
    const id = app.id ?? "";
    await fake.clock.runUntilIdle();
    const spec = { name: "web", region: "ams" as const, services: [{ name: "api", http_port: 8080 }] };
    const { app: updated } = await client.apps.update(id, { spec });
    assert.equal(updated.id, id);
    assert.deepEqual(updated.spec, spec);
    const second = updated.in_progress_deployment;
    assert.ok(second?.id);
    assert.deepEqual(second.spec, spec, "the deployment builds the new spec");
    assert.deepEqual((await client.apps.get(id)).app.spec, spec, "the stored app changed");

    const history = await phases(client, id);
    assert.equal(history.size, 2);
    assert.equal([...history.keys()][0], second.id, "newest first");
    assert.equal((await client.apps.getDeployment(id, second.id)).deployment.id, second.id);

    await fake.clock.runUntilIdle();
    assert.deepEqual([...(await phases(client, id)).values()], ["ACTIVE", "SUPERSEDED"]);
    const { app: live } = await client.apps.get(id);
    assert.equal(live.active_deployment?.id, second.id);
    await assert.rejects(client.apps.update("no-such-app", { spec }), { statusCode: 404 });
  });

  it("a failed deployment keeps ERROR in the history and does not block the next update", async () => {
    fake.lifecycles.failNext("appDeployment");
    const { app } = await client.apps.create({ spec: { name: "web" } }, json);
    const id = app.id ?? "";
    const failed = app.in_progress_deployment?.id ?? "";
    await fake.clock.runUntilIdle();
    assert.equal((await client.apps.getDeployment(id, failed)).deployment.phase, "ERROR");

    const { app: updated } = await client.apps.update(id, { spec: { name: "web", region: "ams" as const } });
    const next = updated.in_progress_deployment?.id ?? "";
    assert.notEqual(next, failed);
    const ready = client.waitFor.app(id);
    await fake.clock.runUntilIdle();
    assert.equal((await ready).active_deployment?.id, next);
    const history = await phases(client, id);
    assert.equal(history.get(failed), "ERROR", "the failure stays in the history");
    assert.equal(history.get(next), "ACTIVE");
  });

  it("a deployment superseded mid-build stops there and never becomes active; cancel ends one under way", async () => {
    const { app } = await client.apps.create({ spec: { name: "web" } }, json);
    const id = app.id ?? "";
    const first = app.in_progress_deployment?.id ?? "";
    await fake.clock.advance(fake.lifecycles.buildTime("appDeployment") / 2);
    const { deployment: second } = await client.apps.createDeployment(id, {});
    await fake.clock.runUntilIdle();
    const history = await phases(client, id);
    assert.equal(history.get(first), "SUPERSEDED");
    assert.equal(history.get(second.id ?? ""), "ACTIVE");
    assert.equal((await client.apps.get(id)).app.active_deployment?.id, second.id);

    const { deployment: restarted } = await client.apps.restart(id, {});
    const { deployment: canceled } = await client.apps.cancelDeployment(id, restarted.id ?? "");
    assert.equal(canceled.phase, "CANCELED");
    await fake.clock.runUntilIdle();
    assert.equal((await client.apps.getDeployment(id, restarted.id ?? "")).deployment.phase, "CANCELED");
    const { app: live } = await client.apps.get(id);
    assert.equal(live.active_deployment?.id, second.id, "the canceled build never went live");
    assert.equal(live.in_progress_deployment, undefined);
    await assert.rejects(client.apps.cancelDeployment(id, restarted.id ?? ""), { statusCode: 409 });
  });
});
