// The fake's families that take time to build, its virtual clock, the fallback table's merging
// and echo, seeding, and routes bound to the operation table.
import assert from "node:assert/strict";
import { WaitFailedError, type DigitalOceanClient } from "../../src/index.js";
import { operationGroups } from "../../src/operations/tables.js";
import { bindRoutes } from "../../src/testing/bindRoutes.js";
import { createTestClient, defaultFallbackTable, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { useVirtualFake } from "./helpers.js";
import { statefulRoutes } from "../../src/testing/resources/index.js";

const MINUTE = 60_000;
const clusterBody = { name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "workers", size: "s-2vcpu-4gb", count: 3 }] };

describe("fake DigitalOcean: builds on the virtual clock", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  useVirtualFake((f, c) => ((fake = f), (client = c)));

  it("a kubernetes cluster provisions for 7 virtual minutes, and a waiter sees it through in milliseconds", async () => {
    const started = Date.now();
    const { kubernetes_cluster: created } = await client.kubernetes.createCluster(clusterBody);
    assert.equal(created?.name, "prod", "the answer carries what was asked");
    assert.equal(created?.status?.state, "provisioning");
    const since = fake.clock.now();
    const waiting = client.waitFor.kubernetesCluster(created!.id!);
    await fake.clock.advance(6 * MINUTE);
    assert.equal(fake.state.kubernetesClusters.get(created!.id!)?.status.state, "provisioning");
    await fake.clock.runUntilIdle();
    const cluster = await waiting;
    assert.equal(cluster.status?.state, "running");
    assert.ok(cluster.node_pools?.[0]?.nodes?.every((node) => node.status?.state === "running"));
    assert.ok(fake.clock.now() - since >= 7 * MINUTE && fake.clock.now() - since < 8 * MINUTE, `${fake.clock.now() - since} ms of virtual time`);
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms of real time`);
  });

  it("databases and replicas go creating → online; apps deploy through their phases to ACTIVE", async () => {
    const { database } = await client.databases.createCluster({ name: "db", engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 });
    const { replica } = await client.databases.createReplica(database!.id!, { name: "read-1", size: "db-s-1vcpu-1gb" });
    const { app } = await client.apps.create({ spec: { name: "web" } }, { Accept: "application/json", "Content-Type": "application/json" });
    const phases: string[] = [];
    const waits = Promise.all([
      client.waitFor.databaseCluster(database!.id!),
      client.waitFor.databaseReplica(database!.id!, replica!.name),
      client.waitFor.appDeployment(app!.id!, app!.in_progress_deployment!.id!, { onPoll: (deployment) => phases.push(deployment.phase ?? "?") }),
      client.waitFor.app(app!.id!),
    ]);
    await fake.clock.runUntilIdle();
    const [db, read, deployment, deployed] = await waits;
    assert.equal(db.status, "online");
    assert.equal(read.status, "online");
    assert.equal(deployment.phase, "ACTIVE");
    assert.equal(deployed.active_deployment?.id, deployment.id);
    assert.ok(phases.includes("BUILDING") || phases.includes("DEPLOYING"), phases.join());
  });

  for (const [kind, start, wait, state] of [
    ["kubernetesCluster", (c: DigitalOceanClient) => c.kubernetes.createCluster(clusterBody).then((r) => [r.kubernetes_cluster!.id!]), "kubernetesCluster", "error"],
    ["loadBalancer", (c: DigitalOceanClient) => c.loadBalancers.create({ name: "lb", region: "nyc3", tag: "web", forwarding_rules: [{ entry_protocol: "http", entry_port: 80, target_protocol: "http", target_port: 80 }] }).then((r) => [r.load_balancer!.id!]), "loadBalancer", "errored"],
    ["certificate", (c: DigitalOceanClient) => c.certificates.create({ name: "cert", type: "lets_encrypt", dns_names: ["www.example.com"] }).then((r) => [r.certificate!.id!]), "certificate", "error"],
    ["appDeployment", (c: DigitalOceanClient) => c.apps.create({ spec: { name: "web" } }, { Accept: "application/json", "Content-Type": "application/json" }).then((r) => [r.app!.id!, r.app!.in_progress_deployment!.id!]), "appDeployment", "ERROR"],
  ] as const) {
    it(`failure injection: ${kind} ends ${state}, and its waiter throws WaitFailedError`, async () => {
      fake.lifecycles.failNext(kind);
      const ids = await start(client);
      const waiting = (client.waitFor[wait] as unknown as (...args: unknown[]) => Promise<unknown>)(...ids);
      waiting.catch(() => undefined);
      await fake.clock.runUntilIdle();
      await assert.rejects(waiting, (error: WaitFailedError) => error instanceof WaitFailedError && error.state === state);
    });
  }

  it("20 waiters at once share one schedule and stay under the burst limit (in every virtual minute)", async () => {
    const polls: number[] = [];
    const counting = await startFakeDigitalOcean({ clock: "virtual", onExecute: (operationId) => operationId === "kubernetes_get_cluster" && polls.push(counting.clock.now()) });
    try {
      const twenty = createTestClient(counting, { retryOptions: { maxRetries: 0 } });
      const ids = await Promise.all(Array.from({ length: 20 }, (_, index) => twenty.kubernetes.createCluster({ ...clusterBody, name: `c${index}` }).then((r) => r.kubernetes_cluster!.id!)));
      const waits = Promise.all(ids.map((id) => twenty.waitFor.kubernetesCluster(id, { pollIntervalInMs: 2000 })));
      await counting.clock.runUntilIdle();
      assert.equal((await waits).length, 20);
      const peak = Math.max(...polls.map((at) => polls.filter((other) => other >= at && other < at + MINUTE).length));
      assert.ok(peak <= 121, `peak ${peak} polls a minute`);
      assert.ok(polls.length > 100, `${polls.length} polls`);
    } finally {
      await counting.close();
    }
  });

  it("timeScale scales build times; advance refuses bad input; a real-time fake refuses advance", async () => {
    const scaled = await startFakeDigitalOcean({ clock: "virtual", timeScale: 0.5 });
    const real = await startFakeDigitalOcean();
    try {
      assert.equal(scaled.lifecycles.buildTime("kubernetesCluster"), 3.5 * MINUTE);
      assert.equal(real.lifecycles.buildTime("certificate"), 30);
      await assert.rejects(scaled.clock.advance(-1), TypeError);
      await assert.rejects(real.clock.advance(1000), TypeError);
      await assert.rejects(real.clock.runUntilIdle(), TypeError);
      assert.throws(() => fake.lifecycles.failNext("certificate", 0), TypeError);
    } finally {
      await Promise.all([scaled.close(), real.close()]);
    }
  });
});

describe("fake DigitalOcean: fallback table, seeds and routes", () => {
  it("fallback overrides merge into the exported default table, named by operationId alone", async () => {
    const fake = await startFakeDigitalOcean({ fallback: { cdn_list_endpoints: { body: { endpoints: [], links: {}, meta: { total: 0 } } } } });
    try {
      const client = createTestClient(fake);
      assert.deepEqual((await client.cdn.listEndpoints()).meta, { total: 0 });
      assert.ok((await client.cdn.getEndpoint("19f06b6a-3ace-4315-b086-499a0e521b76")).endpoint, "the rest of the table still answers");
      assert.equal(Object.keys(defaultFallbackTable).length, Object.values(operationGroups).reduce((sum, table) => sum + Object.keys(table).length, 0));
      assert.ok(Object.isFrozen(defaultFallbackTable));
    } finally {
      await fake.close();
    }
    await assert.rejects(startFakeDigitalOcean({ fallback: { no_such_operation: { body: {} } } }), TypeError);
  });

  it("stateless creates echo what the request said", async () => {
    const fake = await startFakeDigitalOcean();
    try {
      const { endpoint } = await createTestClient(fake).cdn.createEndpoint({ origin: "assets.example.nyc3.digitaloceanspaces.com", ttl: 600 });
      assert.equal(endpoint?.origin, "assets.example.nyc3.digitaloceanspaces.com");
      assert.equal(endpoint?.ttl, 600);
    } finally {
      await fake.close();
    }
  });

  it("seed takes the new families, ready", async () => {
    const fake = await startFakeDigitalOcean();
    try {
      const seeded = fake.seed({
        kubernetesClusters: [clusterBody],
        databaseClusters: [{ name: "db", engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 }],
        apps: [{ spec: { name: "web" } }],
        loadBalancers: [{ name: "lb" }],
        certificates: [{ name: "cert" }],
      });
      const client = createTestClient(fake);
      assert.equal((await client.kubernetes.getCluster(seeded.kubernetesClusters[0]!.id)).kubernetes_cluster?.status?.state, "running");
      assert.equal((await client.databases.getCluster(seeded.databaseClusters[0]!.id)).database?.status, "online");
      assert.equal((await client.apps.get(seeded.apps[0]!.id)).app?.active_deployment?.phase, "ACTIVE");
      assert.equal((await client.loadBalancers.get(seeded.loadBalancers[0]!.id)).load_balancer?.status, "active");
      assert.equal((await client.certificates.get(seeded.certificates[0]!.id)).certificate?.state, "verified");
      assert.throws(() => fake.seed({ kubernetesClusters: [{ ...clusterBody, region: "atlantis1" }] }), /invalid region/);
    } finally {
      await fake.close();
    }
  });

  it("stateful routes take method and path from the generated operation table", () => {
    const table = new Map(Object.values(operationGroups).flatMap((group) => Object.values(group).map((spec) => [spec.id, spec] as const)));
    for (const route of statefulRoutes) {
      assert.equal(route.method, table.get(route.operationId)?.method, route.operationId);
      assert.equal(route.path, table.get(route.operationId)?.path, route.operationId);
    }
    assert.throws(() => bindRoutes([{ operationId: "droplets_teleport", handle: () => ({ status: 200 }) }]), /no operation droplets_teleport/);
  });
});
