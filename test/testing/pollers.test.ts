import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { AbortError, InvalidTokenError, WaitFailedError, type DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { useVirtualFake } from "./helpers.js";

const clusterBody = { name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "workers", size: "s-2vcpu-4gb", count: 2 }] };

describe("pollers", () => {
  describe("on the virtual clock", () => {
    let fake: FakeDigitalOcean;
    let client: DigitalOceanClient;
    useVirtualFake((f, c) => ((fake = f), (client = c)));

    it("is awaitable, reports progress, keeps the initial response and ends succeeded", async () => {
      const poller = client.pollers.databaseCluster(client.databases.createCluster({ name: "db", engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 }));
      const seen: string[] = [];
      poller.onProgress((state) => seen.push(state.resource?.status ?? "?"));
      await poller.submitted();
      assert.equal(poller.isDone, false);
      assert.ok((poller.initialResponse as { database?: { connection?: unknown } }).database?.connection, "the create's answer, password and all");
      const done = poller.then((database) => database);
      await fake.clock.runUntilIdle();
      const database = await done;
      assert.equal(database.status, "online");
      assert.equal(poller.isDone, true);
      assert.equal(poller.operationState?.status, "succeeded");
      assert.equal(poller.result?.id, database.id);
      assert.deepEqual([...new Set(seen)], ["creating", "online"]);
      assert.equal(await poller.pollUntilDone(), database, "done stays done without polling");
    });

    it("poll({ abortSignal }): an aborted signal sends nothing; 20 polls on one signal add one listener", async () => {
      const poller = client.pollers.kubernetesCluster(client.kubernetes.createCluster(clusterBody));
      await poller.submitted();
      const before = fake.executionCount("kubernetes_get_cluster");
      await assert.rejects(poller.poll({ abortSignal: AbortSignal.abort() }), AbortError);
      assert.equal(fake.executionCount("kubernetes_get_cluster"), before, "no GET for an aborted poll");
      const controller = new AbortController();
      let warned = false;
      const onWarning = (warning: Error): void => {
        if (warning.name === "MaxListenersExceededWarning") warned = true;
      };
      process.on("warning", onWarning);
      try {
        const states = await Promise.all(Array.from({ length: 20 }, () => poller.poll({ abortSignal: controller.signal })));
        assert.ok(states.every((state) => state.status === "running"));
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off("warning", onWarning);
      }
      assert.equal(warned, false, "MaxListenersExceededWarning");
    });

    it("serializes to a small token without the initial response; resumePoller continues from it", async () => {
      const poller = client.pollers.kubernetesCluster(client.kubernetes.createCluster(clusterBody));
      const token = await poller.serialize();
      assert.equal(poller.toString(), token);
      assert.ok(token.length < 200, `${token.length} characters`);
      assert.ok(!Buffer.from(token.split(".").at(-1)!, "base64url").toString().includes("prod"), "no part of the answer");
      const resumed = client.resumePoller(token);
      assert.equal(resumed.initialResponse, undefined);
      const state = await resumed.poll();
      assert.equal(state.status, "running");
      const done = resumed.pollUntilDone();
      await fake.clock.runUntilIdle();
      assert.equal((await done as { status: { state: string } }).status.state, "running");
    });

    it("fails with WaitFailedError when the build fails (failure injection), state failed", async () => {
      fake.lifecycles.failNext("kubernetesCluster");
      const poller = client.pollers.kubernetesCluster(client.kubernetes.createCluster(clusterBody));
      const done = poller.pollUntilDone();
      done.catch(() => undefined);
      await fake.clock.runUntilIdle();
      await assert.rejects(done, (error: WaitFailedError) => error instanceof WaitFailedError && error.state === "error");
      assert.equal(poller.operationState?.status, "failed");
    });

    it("stopping (an abort) stops polling, never the resource; a poller for a nested resource takes its parent id", async () => {
      const [cluster] = fake.seed({ kubernetesClusters: [clusterBody] }).kubernetesClusters;
      const poller = client.pollers.nodePool(client.kubernetes.addNodePool(cluster!.id, { name: "more", size: "s-2vcpu-4gb", count: 2 }), cluster!.id);
      const controller = new AbortController();
      const done = poller.pollUntilDone({ abortSignal: controller.signal });
      await fake.clock.advance(30_000);
      controller.abort();
      await assert.rejects(done, AbortError);
      await fake.clock.runUntilIdle();
      const pool = fake.state.kubernetesClusters.get(cluster!.id)!.node_pools.find((each) => each.name === "more")!;
      assert.ok(pool.nodes.every((node) => node.status.state === "running"), "the pool kept building");
    });

    it("refuses damaged tokens and creates that answer no id", async () => {
      for (const token of ["", "tsdo.poller.v2.", "tsdo.poller.v2.e30", `tsdo.poller.v2.${Buffer.from(JSON.stringify({ n: "nope", i: [1], c: 1, e: client.endpoint })).toString("base64url")}`]) {
        assert.throws(() => client.resumePoller(token), InvalidTokenError, token);
      }
      await assert.rejects(client.pollers.loadBalancer(Promise.resolve({})).submitted(), TypeError);
    });
  });

  it("a poller serialized mid-way is resumed and finished by another process", async function () {
    this.timeout(20_000);
    const fake = await startFakeDigitalOcean({ timeScale: 0.0005 });
    try {
      const client = createTestClient(fake);
      const poller = client.pollers.kubernetesCluster(client.kubernetes.createCluster(clusterBody));
      assert.equal((await poller.poll()).status, "running");
      const token = poller.toString();
      const { stdout } = await promisify(execFile)(process.execPath, [resolve(__dirname, "../../../test/testing/fixtures/resumePoller.cjs"), token], {
        env: { ...process.env, TSDO_MODULE: resolve(__dirname, "../../src/index.js"), FAKE_URL: fake.url, FAKE_TOKEN: fake.token },
        timeout: 15_000,
      });
      const result = JSON.parse(stdout) as { id: string; state: string; states: string[]; initialResponse: unknown };
      assert.equal(result.state, "running");
      assert.equal(result.id, fake.state.kubernetesClusters.values().next().value!.id);
      assert.equal(result.initialResponse, null);
    } finally {
      await fake.close();
    }
  });
});
