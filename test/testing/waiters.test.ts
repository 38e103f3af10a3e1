// Every acceptor row against the fake on its virtual clock: success, failure, timeout, abort, the
// 404-after-create grace, and the resource deleted mid-wait. No real sleeping: time is virtual.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { acceptors, type AcceptorName } from "../../src/core/acceptors.js";
import { AbortError, WaitFailedError, WaitTimeoutError } from "../../src/core/errors.js";
import type { DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

type Ids = (string | number)[];

/**
 * How to play one row on the fake: put the resource in a state where it is not ready yet (its ids
 * are returned), make it ready, make it fail (rows with failure states), take it away and put it back.
 */
interface Scenario {
  pending(fake: FakeDigitalOcean): Ids;
  ready(fake: FakeDigitalOcean, ids: Ids): void;
  fail?(fake: FakeDigitalOcean, ids: Ids): void;
  /** Hides the resource (a 404); returns what puts it back. */
  hide(fake: FakeDigitalOcean, ids: Ids): () => void;
}

const pool = [{ name: "pool", size: "s-1vcpu-2gb", count: 2 }];
const seedCluster = (fake: FakeDigitalOcean) => fake.seed({ kubernetesClusters: [{ name: `k8s-${randomUUID().slice(0, 8)}`, region: "nyc1", version: "1.31.1-do.0", node_pools: pool }] }).kubernetesClusters[0]!;
const seedApp = (fake: FakeDigitalOcean) => fake.seed({ apps: [{ spec: { name: `app-${randomUUID().slice(0, 8)}` } }] }).apps[0]!;
const seedDroplet = (fake: FakeDigitalOcean, status: "new" | "active" = "active") =>
  fake.seed({ droplets: [{ name: `web-${randomUUID().slice(0, 8)}`, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3", status }] }).droplets[0]!;
const seedDatabase = (fake: FakeDigitalOcean) =>
  fake.seed({ databaseClusters: [{ name: `db-${randomUUID().slice(0, 8)}`, engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 }] }).databaseClusters[0]!;

/** Hides map entry `key` of `map`. */
function hideIn<K, V>(map: Map<K, V>, key: K): () => void {
  const value = map.get(key)!;
  map.delete(key);
  return () => void map.set(key, value);
}

const scenarios: Record<AcceptorName, Scenario> = {
  droplet: {
    pending: (fake) => [seedDroplet(fake, "new").id],
    ready: (fake, [id]) => void (fake.state.droplets.get(id as number)!.status = "active"),
    fail: (fake, [id]) => void (fake.state.droplets.get(id as number)!.status = "off"),
    hide: (fake, [id]) => hideIn(fake.state.droplets, id as number),
  },
  dropletDeleted: {
    pending: (fake) => [seedDroplet(fake).id],
    ready: (fake, [id]) => void fake.state.droplets.delete(id as number),
    hide: (fake, [id]) => hideIn(fake.state.droplets, id as number),
  },
  volume: {
    pending: (fake) => {
      const volume = fake.seed({ volumes: [{ name: `v-${randomUUID().slice(0, 8)}`, size_gigabytes: 10, region: "nyc3" }] }).volumes[0]!;
      // A volume is ready once readable: "pending" is not visible yet.
      fake.state.volumes.delete(volume.id);
      pendingVolumes.set(volume.id, volume);
      return [volume.id];
    },
    ready: (fake, [id]) => void fake.state.volumes.set(id as string, pendingVolumes.get(id as string)!),
    hide: (fake, [id]) => hideIn(fake.state.volumes, id as string),
  },
  volumeAttached: {
    pending: (fake) => [fake.seed({ volumes: [{ name: `v-${randomUUID().slice(0, 8)}`, size_gigabytes: 10, region: "nyc3" }] }).volumes[0]!.id],
    ready: (fake, [id]) => void (fake.state.volumes.get(id as string)!.droplet_ids = [seedDroplet(fake).id]),
    hide: (fake, [id]) => hideIn(fake.state.volumes, id as string),
  },
  databaseCluster: {
    pending: (fake) => {
      const database = seedDatabase(fake);
      database.status = "creating";
      return [database.id];
    },
    ready: (fake, [id]) => void (fake.state.databaseClusters.get(id as string)!.status = "online"),
    hide: (fake, [id]) => hideIn(fake.state.databaseClusters, id as string),
  },
  databaseReplica: {
    pending: (fake) => {
      const database = seedDatabase(fake);
      fake.state.databaseReplicas.get(database.id)!.set("read-1", { id: randomUUID(), name: "read-1", status: "creating" });
      return [database.id, "read-1"];
    },
    ready: (fake, [id, name]) => void (fake.state.databaseReplicas.get(id as string)!.get(name as string)!.status = "online"),
    hide: (fake, [id, name]) => hideIn(fake.state.databaseReplicas.get(id as string)!, name as string),
  },
  kubernetesCluster: {
    pending: (fake) => {
      const cluster = seedCluster(fake);
      cluster.status = { state: "provisioning" };
      return [cluster.id];
    },
    ready: (fake, [id]) => void (fake.state.kubernetesClusters.get(id as string)!.status = { state: "running" }),
    fail: (fake, [id]) => void (fake.state.kubernetesClusters.get(id as string)!.status = { state: "error" }),
    hide: (fake, [id]) => hideIn(fake.state.kubernetesClusters, id as string),
  },
  nodePool: {
    pending: (fake) => {
      const cluster = seedCluster(fake);
      const [first] = cluster.node_pools;
      first!.nodes[1]!.status = { state: "provisioning" };
      return [cluster.id, first!.id];
    },
    ready: (fake, [id]) => fake.state.kubernetesClusters.get(id as string)!.node_pools[0]!.nodes.forEach((node) => (node.status = { state: "running" })),
    hide: (fake, [id]) => hideIn(fake.state.kubernetesClusters, id as string),
  },
  appDeployment: {
    pending: (fake) => {
      const app = seedApp(fake);
      app.active_deployment!.phase = "BUILDING";
      return [app.id, app.active_deployment!.id];
    },
    ready: (fake, [id]) => void (fake.state.apps.get(id as string)!.active_deployment!.phase = "ACTIVE"),
    fail: (fake, [id]) => void (fake.state.apps.get(id as string)!.active_deployment!.phase = "ERROR"),
    hide: (fake, [id]) => hideIn(fake.state.apps, id as string),
  },
  app: {
    pending: (fake) => {
      const app = seedApp(fake);
      app.in_progress_deployment = { id: randomUUID(), phase: "DEPLOYING" };
      return [app.id];
    },
    ready: (fake, [id]) => void delete fake.state.apps.get(id as string)!.in_progress_deployment,
    fail: (fake, [id]) => void (fake.state.apps.get(id as string)!.in_progress_deployment!.phase = "ERROR"),
    hide: (fake, [id]) => hideIn(fake.state.apps, id as string),
  },
  loadBalancer: {
    pending: (fake) => {
      const loadBalancer = fake.seed({ loadBalancers: [{ name: "lb" }] }).loadBalancers[0]!;
      loadBalancer.status = "new";
      return [loadBalancer.id];
    },
    ready: (fake, [id]) => void (fake.state.loadBalancers.get(id as string)!.status = "active"),
    fail: (fake, [id]) => void (fake.state.loadBalancers.get(id as string)!.status = "errored"),
    hide: (fake, [id]) => hideIn(fake.state.loadBalancers, id as string),
  },
  certificate: {
    pending: (fake) => {
      const certificate = fake.seed({ certificates: [{ name: "cert", type: "lets_encrypt", dns_names: ["www.example.com"] }] }).certificates[0]!;
      certificate.state = "pending";
      return [certificate.id];
    },
    ready: (fake, [id]) => void (fake.state.certificates.get(id as string)!.state = "verified"),
    fail: (fake, [id]) => void (fake.state.certificates.get(id as string)!.state = "error"),
    hide: (fake, [id]) => hideIn(fake.state.certificates, id as string),
  },
  image: {
    pending: (fake) => {
      const [base] = fake.state.images.values();
      const image = { ...structuredClone(base!), id: 990_000 + fake.state.images.size, type: "custom" as const, slug: null, status: "NEW" as const };
      fake.state.images.set(image.id, image);
      return [image.id];
    },
    ready: (fake, [id]) => void (fake.state.images.get(id as number)!.status = "available"),
    fail: (fake, [id]) => void (fake.state.images.get(id as number)!.status = "deleted"),
    hide: (fake, [id]) => hideIn(fake.state.images, id as number),
  },
  snapshot: {
    pending: () => {
      const id = randomUUID();
      pendingSnapshots.set(id, { id, name: "snap", created_at: "2026-01-01T00:00:00Z", regions: ["nyc3"], min_disk_size: 10, size_gigabytes: 0, resource_id: randomUUID(), resource_type: "volume", tags: [] });
      return [id];
    },
    ready: (fake, [id]) => void fake.state.snapshots.set(id as string, pendingSnapshots.get(id as string)!),
    hide: (fake, [id]) => hideIn(fake.state.snapshots, id as string),
  },
  reservedIp: {
    pending: (fake) => [fake.seed({ reservedIps: [{ region: "nyc3" }] }).reservedIps[0]!.ip],
    ready: (fake, [ip]) => void (fake.state.reservedIps.get(ip as string)!.droplet_id = seedDroplet(fake).id),
    hide: (fake, [ip]) => hideIn(fake.state.reservedIps, ip as string),
  },
  vpcPeering: {
    pending: (fake) => {
      const id = randomUUID();
      fake.state.vpcPeerings.set(id, { id, name: "peer", vpc_ids: [randomUUID(), randomUUID()], status: "PROVISIONING", created_at: "2026-01-01T00:00:00Z" });
      return [id];
    },
    ready: (fake, [id]) => void (fake.state.vpcPeerings.get(id as string)!.status = "ACTIVE"),
    fail: (fake, [id]) => void (fake.state.vpcPeerings.get(id as string)!.status = "DELETING"),
    hide: (fake, [id]) => hideIn(fake.state.vpcPeerings, id as string),
  },
};
const pendingVolumes = new Map<string, import("../../src/testing/index.js").FakeVolume>();
const pendingSnapshots = new Map<string, import("../../src/testing/index.js").FakeSnapshot>();

/** A row whose resource is ready as soon as it is readable (nothing to hold it "pending" but a 404). */
const readyWhenReadable = new Set<AcceptorName>(["volume", "snapshot"]);

describe("client.waitFor: every acceptor row on the fake's virtual clock", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  before(async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual", rateLimit: { limit: 100_000 } });
    client = createTestClient(fake, { retryOptions: { maxRetries: 0 } });
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  /** Starts `client.waitFor[name](...ids, options)`; its rejection is observed by the test. */
  function wait(name: AcceptorName, ids: Ids, options: Record<string, unknown> = {}): Promise<unknown> {
    const waiter = client.waitFor[name] as unknown as (...args: unknown[]) => Promise<unknown>;
    const waiting = waiter(...ids, options);
    waiting.catch(() => undefined);
    return waiting;
  }

  for (const name of Object.keys(acceptors) as AcceptorName[]) {
    const scenario = scenarios[name];
    const deletion = acceptors[name].notFound === "success";
    describe(name, () => {
      it("succeeds once ready, after polling through the pending state", async () => {
        const ids = scenario.pending(fake);
        const polls: unknown[] = [];
        const waiting = wait(name, ids, { onPoll: (resource: unknown) => polls.push(resource) });
        await fake.clock.advance(20_000);
        scenario.ready(fake, ids);
        await fake.clock.runUntilIdle();
        const resource = await waiting;
        if (deletion) assert.equal(resource, undefined);
        else assert.ok(resource && typeof resource === "object", "resolves with the resource");
        if (!readyWhenReadable.has(name)) assert.ok(polls.length >= 2, `${polls.length} polls`);
      });

      if (scenario.fail) {
        it("throws WaitFailedError with the failure state and the resource", async () => {
          const ids = scenario.pending(fake);
          const waiting = wait(name, ids);
          await fake.clock.advance(20_000);
          scenario.fail!(fake, ids);
          await fake.clock.runUntilIdle();
          await assert.rejects(waiting, (error: WaitFailedError) => {
            assert.ok(error instanceof WaitFailedError);
            assert.ok(error.state && error.state !== "not_found", String(error.state));
            assert.ok(error.getResource());
            return true;
          });
        });
      }

      it("throws WaitTimeoutError with the last seen resource", async () => {
        const ids = scenario.pending(fake);
        const options = readyWhenReadable.has(name) ? { timeoutInMs: 60_000, notFoundGraceInMs: 600_000 } : { timeoutInMs: 60_000 };
        const waiting = wait(name, ids, options);
        const started = fake.clock.now();
        await fake.clock.runUntilIdle();
        await assert.rejects(waiting, (error: WaitTimeoutError) => {
          assert.ok(error instanceof WaitTimeoutError);
          assert.equal(error.timeoutInMs, 60_000);
          if (!readyWhenReadable.has(name)) assert.ok(error.getResource());
          return true;
        });
        assert.equal(fake.clock.now() - started, 60_000);
      });

      it("stops with an AbortError when aborted", async () => {
        const ids = scenario.pending(fake);
        const controller = new AbortController();
        const waiting = wait(name, ids, { abortSignal: controller.signal, notFoundGraceInMs: 600_000 });
        await fake.clock.advance(30_000);
        const reads = Object.values(fake.executionCounts()).reduce((sum, count) => sum + count, 0);
        controller.abort();
        await assert.rejects(waiting, AbortError);
        await fake.clock.runUntilIdle();
        assert.equal(Object.values(fake.executionCounts()).reduce((sum, count) => sum + count, 0), reads, "no poll after the abort");
      });

      if (!deletion) {
        it("takes a 404 right after a create for eventual consistency (grace), then succeeds", async () => {
          const ids = scenario.pending(fake);
          const restore = scenario.hide(fake, ids);
          const waiting = wait(name, ids);
          await fake.clock.advance(15_000);
          restore();
          scenario.ready(fake, ids);
          await fake.clock.runUntilIdle();
          assert.ok(await waiting);
        });

        it("reports a resource deleted mid-wait (404 past the grace period) as WaitFailedError not_found", async () => {
          const ids = scenario.pending(fake);
          const waiting = wait(name, ids, { notFoundGraceInMs: 10_000 });
          await fake.clock.advance(20_000);
          scenario.hide(fake, ids);
          await fake.clock.runUntilIdle();
          await assert.rejects(waiting, (error: WaitFailedError) => {
            assert.ok(error instanceof WaitFailedError);
            assert.equal(error.state, "not_found");
            assert.equal((error.cause as { statusCode?: number }).statusCode, 404);
            return true;
          });
        });
      } else {
        it("is done at once when the resource is already gone", async () => {
          const ids = scenario.pending(fake);
          scenario.hide(fake, ids);
          const waiting = wait(name, ids);
          await fake.clock.runUntilIdle();
          assert.equal(await waiting, undefined);
        });
      }
    });
  }

  it("waitFor.deleted waits for any get to answer 404", async () => {
    const cluster = seedCluster(fake);
    const waiting = client.waitFor.deleted((options) => client.kubernetes.getCluster(cluster.id, options));
    await fake.clock.advance(30_000);
    fake.state.kubernetesClusters.delete(cluster.id);
    await fake.clock.runUntilIdle();
    assert.equal(await waiting, undefined);
  });

  it("kubernetes: degraded keeps waiting by default, and can be made success or failure", async () => {
    const cluster = seedCluster(fake);
    cluster.status = { state: "degraded" };
    const asSuccess = client.waitFor.kubernetesCluster(cluster.id, { states: { degraded: "success" } });
    const asFailure = client.waitFor.kubernetesCluster(cluster.id, { states: { degraded: "failure" } });
    const byDefault = client.waitFor.kubernetesCluster(cluster.id, { timeoutInMs: 120_000 });
    asFailure.catch(() => undefined);
    byDefault.catch(() => undefined);
    await fake.clock.runUntilIdle();
    assert.equal((await asSuccess).status?.state, "degraded");
    await assert.rejects(asFailure, (error: WaitFailedError) => error.state === "degraded");
    await assert.rejects(byDefault, WaitTimeoutError);
  });

  it("droplet: active without a public IPv4 is not ready by default; `until` overrides the test", async () => {
    const droplet = seedDroplet(fake);
    const v4 = droplet.networks.v4;
    droplet.networks.v4 = [];
    const withAddress = client.waitFor.droplet(droplet.id);
    const activeOnly = client.waitFor.droplet(droplet.id, { until: (each) => each.status === "active" });
    await fake.clock.advance(60_000);
    assert.equal((await activeOnly).networks?.v4?.length, 0);
    droplet.networks.v4 = v4;
    await fake.clock.runUntilIdle();
    assert.ok((await withAddress).networks?.v4?.some((network) => network.type === "public"));
  });

  it("wait errors carry no token, in any rendering (their 404 cause included)", async () => {
    const cluster = seedCluster(fake);
    cluster.status = { state: "provisioning" };
    const gone = client.waitFor.kubernetesCluster(cluster.id, { notFoundGraceInMs: 0 });
    const late = client.waitFor.kubernetesCluster(cluster.id, { timeoutInMs: 1000 });
    gone.catch(() => undefined);
    late.catch(() => undefined);
    await fake.clock.advance(500);
    fake.state.kubernetesClusters.delete(cluster.id);
    await fake.clock.runUntilIdle();
    for (const error of [await gone.catch((e: Error) => e), await late.catch((e: Error) => e)]) {
      assert.ok(error instanceof WaitFailedError || error instanceof WaitTimeoutError, String(error));
      for (const text of [error.message, error.stack, String(error), JSON.stringify(error), inspect(error, { showHidden: true, depth: 10 }), inspect(error.cause, { depth: 10 })]) {
        assert.ok(!String(text).includes(fake.token), `the token leaks from ${error.name}`);
      }
    }
  });

  it("refuses bad ids and options with a TypeError before any request", async () => {
    await assert.rejects(client.waitFor.kubernetesCluster("", {}), TypeError);
    await assert.rejects((client.waitFor.nodePool as unknown as (id: string) => Promise<unknown>)("only-one-id"), TypeError);
    await assert.rejects(client.waitFor.droplet(1, { timeoutInMs: Number.NaN }), TypeError);
    await assert.rejects(client.waitFor.droplet(1, { pollIntervalInMs: -1 }), TypeError);
    assert.deepEqual(fake.executionCounts(), {});
  });
});

describe("client.waitForAction over HTTP against the fake", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  before(async () => {
    fake = await startFakeDigitalOcean({ actionDelayInMs: 50, rateLimit: { limit: 100_000 } });
    // A high poll budget: this suite runs on real time and must stay short.
    client = createTestClient(fake, { retryOptions: { maxRetries: 0 }, waiterPollsPerMinute: 60_000 });
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  it("defect: timeoutInMs ends a wait whose poll hangs, long before the client's 60 s attempt timeout", async () => {
    const droplet = seedDroplet(fake);
    const { action } = await client.dropletActions.post(droplet.id, { type: "power_cycle" });
    fake.faults.stallBody({ operationId: "actions_get" });
    const started = Date.now();
    await assert.rejects(client.waitForAction(action!, { timeoutInMs: 200 }), WaitTimeoutError);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it("defect: twenty actions with the caller's signal trip no MaxListenersExceededWarning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const droplets = fake.seed({ droplets: Array.from({ length: 20 }, (_, index) => ({ name: `w${index}`, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" })) }).droplets;
      const actions = await Promise.all(droplets.map((droplet) => client.dropletActions.post(droplet.id, { type: "power_cycle" }).then((answer) => answer.action!)));
      const done = await client.waitForAction(actions, { abortSignal: new AbortController().signal, pollIntervalInMs: 20 });
      assert.deepEqual(new Set(done.map((action) => action.status)), new Set(["completed"]));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(warnings, []);
  });
});
