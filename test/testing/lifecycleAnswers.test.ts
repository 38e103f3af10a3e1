// Every state of every lifecycle the fake plays, type-checked against the response types: the
// fake's answer in each state is written into a TypeScript program as a literal assigned to its
// method's return type, and the compiler must accept every one. A field the type says is always
// there but some state leaves out (a new app's active_deployment) fails here, naming the state.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import type { DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean, type LifecycleKind } from "../../src/testing/index.js";

const REPO_ROOT = resolve(__dirname, "..", "..", "..");

/** One answer of the fake: which method answered it, in which state. */
interface Captured {
  readonly group: string;
  readonly method: string;
  readonly state: string;
  readonly answer: unknown;
}

/** A read of the resource: its method's name (`apps.get`), the call, and the state an answer is in. */
interface Reader<T> {
  readonly method: `${keyof DigitalOceanClient & string}.${string}`;
  readonly read: () => PromiseLike<T>;
  readonly state: (answer: T) => string;
}

function reader<T>(method: Reader<T>["method"], read: () => PromiseLike<T>, state: (answer: T) => string): Reader<unknown> {
  return { method, read, state: (answer) => state(answer as T) };
}

class Answers {
  readonly captured: Captured[] = [];
  private readonly seen = new Set<string>();

  /** Keeps `answer` the first time `method` answers in `state`. */
  add(method: string, state: string, answer: unknown): void {
    const key = `${method} ${state}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const [group = "", name = ""] = method.split(".");
    this.captured.push({ group, method: name, state, answer });
  }

  /**
   * Reads every reader after each `stepInMs` of virtual time until `done` holds for the first
   * reader's state, keeping each new state's answer; returns the first reader's states in order.
   */
  async playThrough(fake: FakeDigitalOcean, stepInMs: number, done: (state: string) => boolean, readers: readonly Reader<unknown>[]): Promise<string[]> {
    const states: string[] = [];
    for (let step = 0; step < 200; step++) {
      for (const [index, { method, read, state }] of readers.entries()) {
        const answer = await read();
        const current = state(answer);
        this.add(method, current, answer);
        if (index === 0 && states[states.length - 1] !== current) states.push(current);
      }
      if (done(states[states.length - 1] ?? "")) return states;
      await fake.clock.advance(stepInMs);
    }
    throw new Error(`${readers[0]?.method} never reached its final state (saw ${states.join(" → ")})`);
  }
}

/** The program: each answer assigned to its method's return type, as responseExamples.types.ts does for the spec's examples. */
function program(captured: readonly Captured[], client: string): string {
  const lines = [
    `import type { DigitalOceanClient } from ${JSON.stringify(client)};`,
    "type Answer<Method> = Method extends (...args: never[]) => PromiseLike<infer Result> ? Result : never;",
    "type Open<T> = T extends readonly unknown[] ? { [K in keyof T]: Open<T[K]> } : T extends object ? { [K in keyof T]: Open<T[K]> } & { [key: string]: unknown } : T;",
    "function literal<Method>() { return <const Value extends Open<Answer<Method>>>(value: Value): Value => value; }",
    "function accept<Method>(): (answer: Answer<Method>) => void { return () => undefined; }",
  ];
  for (const { group, method, state, answer } of captured) {
    const type = `DigitalOceanClient[${JSON.stringify(group)}][${JSON.stringify(method)}]`;
    lines.push(`accept<${type}>()(literal<${type}>()(${JSON.stringify(answer)})); // ${group}.${method} ${state}`);
  }
  return lines.join("\n") + "\n";
}

/** The compiler's complaints about `source`, each with the line's comment (which answer, in which state). */
function typeErrors(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "tsdo-lifecycle-"));
  try {
    const file = join(dir, "answers.ts");
    writeFileSync(file, source);
    const config = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    assert.ok(config, "tsconfig.json is readable");
    const compiled = ts.createProgram([file], { ...config.options, noEmit: true, noUnusedLocals: false, rootDir: undefined });
    const lines = source.split("\n");
    // One entry per distinct complaint, naming every answer (method and state) it was made about.
    const where = new Map<string, string[]>();
    for (const diagnostic of ts.getPreEmitDiagnostics(compiled, compiled.getSourceFile(file))) {
      const line = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n").slice(0, 3000);
      where.set(message, [...(where.get(message) ?? []), lines[line]?.replace(/^.*\/\/ /, "") ?? "?"]);
    }
    return [...where].map(([message, answers]) => `${message.trim()} (${answers.join("; ")})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const clusterBody = { name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "workers", size: "s-2vcpu-4gb", count: 2 }] };
const lbBody = { name: "lb", region: "nyc3", tag: "web", forwarding_rules: [{ entry_protocol: "http", entry_port: 80, target_protocol: "http", target_port: 80 }] } as const;
const certificateBody = { name: "cert", type: "lets_encrypt", dns_names: ["www.example.com"] } as const;

describe("fake DigitalOcean: every lifecycle state's answer fits the response types", function () {
  this.timeout(120_000);
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  const answers = new Answers();
  before(async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual" });
    client = createTestClient(fake, { retryOptions: { maxRetries: 0 } });
  });
  after(() => fake.close());

  const step = (kind: LifecycleKind): number => fake.lifecycles.buildTime(kind) / 20;
  const actionStep = 50;

  it("apps: a new app through its first deployment's phases, a redeploy, and a first deployment that fails", async () => {
    const appState = (app: Awaited<ReturnType<DigitalOceanClient["apps"]["get"]>>["app"]): string =>
      `${app.active_deployment === undefined ? "never deployed" : "deployed"}, deploying: ${app.in_progress_deployment?.phase ?? "nothing"}`;
    const follow = async (appId: string, deploymentId: string, last: string): Promise<string[]> =>
      answers.playThrough(fake, step("appDeployment"), (phase) => phase === last, [
        reader("apps.getDeployment", () => client.apps.getDeployment(appId, deploymentId), ({ deployment }) => deployment.phase ?? "?"),
        reader("apps.get", () => client.apps.get(appId), ({ app }) => appState(app)),
        reader("apps.list", () => client.apps.list(), ({ apps }) => apps.map(appState).join("; ")),
      ]);
    const deploymentOf = (app: Awaited<ReturnType<DigitalOceanClient["apps"]["create"]>>["app"]): string => {
      const id = (app.in_progress_deployment ?? app.pending_deployment)?.id;
      assert.ok(id, "a new app is deploying");
      return id;
    };

    const created = await client.apps.create({ spec: { name: "web", services: [{ name: "api", github: { repo: "example/api", branch: "main" } }] } });
    answers.add("apps.create", "new app", created);
    const phases = await follow(created.app.id, deploymentOf(created.app), "ACTIVE");
    assert.deepEqual(phases, ["PENDING_BUILD", "BUILDING", "PENDING_DEPLOY", "DEPLOYING", "ACTIVE"]);

    const redeploy = await client.apps.createDeployment(created.app.id, {});
    answers.add("apps.createDeployment", "redeploy", redeploy);
    assert.deepEqual(await follow(created.app.id, redeploy.deployment.id, "ACTIVE"), ["PENDING_BUILD", "BUILDING", "PENDING_DEPLOY", "DEPLOYING", "ACTIVE"]);

    fake.lifecycles.failNext("appDeployment");
    // An app of static sites only: its spec has no services in any state.
    const failing = await client.apps.create({ spec: { name: "site", static_sites: [{ name: "www", github: { repo: "example/www", branch: "main" } }] } });
    assert.deepEqual((await follow(failing.app.id, deploymentOf(failing.app), "ERROR")).slice(-1), ["ERROR"]);
  });

  it("droplets and their actions: new → active, a power-off in progress → completed, a snapshot and the image it makes", async () => {
    const created = await client.droplets.create({ name: "web-1", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
    answers.add("droplets.create", "new", created);
    const dropletId = created.droplet.id;
    const createAction = created.links.actions?.[0]?.id;
    assert.ok(createAction !== undefined, "the create answer links its action");
    const dropletReaders = [
      reader("droplets.get", () => client.droplets.get(dropletId), ({ droplet }) => droplet.status),
      reader("droplets.list", () => client.droplets.list(), ({ droplets }) => droplets.map((droplet) => droplet.status).join()),
    ];
    const booted = await answers.playThrough(fake, actionStep, (status) => status === "active", [
      ...dropletReaders,
      reader("actions.get", () => client.actions.get(createAction), ({ action }) => action.status),
      reader("actions.list", () => client.actions.list(), ({ actions }) => actions.map((action) => action.status).join()),
    ]);
    assert.deepEqual(booted, ["new", "active"]);

    for (const type of ["power_off", "snapshot"] as const) {
      const started = await client.dropletActions.post(dropletId, type === "snapshot" ? { type, name: "web-1-snap" } : { type });
      answers.add("dropletActions.post", `${type} started`, started);
      const actionId = started.action.id;
      const statuses = await answers.playThrough(fake, actionStep, (status) => status === "completed", [
        reader("dropletActions.get", () => client.dropletActions.get(dropletId, actionId), ({ action }) => action.status),
        ...dropletReaders,
      ]);
      assert.deepEqual(statuses, ["in-progress", "completed"]);
    }

    const { snapshots } = await client.droplets.listSnapshots(dropletId);
    answers.add("droplets.listSnapshots", "after a snapshot", { snapshots, links: {}, meta: { total: snapshots.length } });
    const snapshotId = snapshots[0]?.id;
    assert.ok(snapshotId !== undefined, "the snapshot action made a snapshot");
    answers.add("snapshots.get", "made by a droplet action", await client.snapshots.get(snapshotId));
    answers.add("snapshots.list", "after a snapshot", await client.snapshots.list());
    answers.add("images.get", "a droplet snapshot", await client.images.get(snapshotId));

    const imported = await client.images.createCustom({ name: "custom", url: "http://images.example.com/custom.img", region: "nyc3", distribution: "Ubuntu" });
    answers.add("images.createCustom", "NEW", imported);
    answers.add("images.get", "imported", await client.images.get(imported.image.id));
    answers.add("images.list", "after an import", await client.images.list());
  });

  it("volumes: created, attached by an action in progress → completed, snapshotted", async () => {
    const created = await client.volumes.create({ name: "data", region: "nyc3", size_gigabytes: 10 });
    answers.add("volumes.create", "detached", created);
    const volumeId = created.volume.id;
    const { droplets } = await client.droplets.list();
    const dropletId = droplets[0]?.id;
    assert.ok(dropletId !== undefined, "a droplet to attach to");
    const attach = await client.volumeActions.postById(volumeId, { type: "attach", droplet_id: dropletId });
    answers.add("volumeActions.postById", "attach started", attach);
    const actionId = attach.action.id;
    const statuses = await answers.playThrough(fake, actionStep, (status) => status === "completed", [
      reader("volumeActions.get", () => client.volumeActions.get(volumeId, actionId), ({ action }) => action.status),
      reader("volumes.get", () => client.volumes.get(volumeId), ({ volume }) => (volume.droplet_ids?.length ? "attached" : "detached")),
      reader("volumes.list", () => client.volumes.list(), ({ volumes }) => volumes.map((volume) => (volume.droplet_ids?.length ? "attached" : "detached")).join()),
    ]);
    assert.deepEqual(statuses, ["in-progress", "completed"]);
    const snapshot = await client.volumeSnapshots.create(volumeId, { name: "data-snap" });
    answers.add("volumeSnapshots.create", "made", snapshot);
    answers.add("volumeSnapshots.getById", "made", await client.volumeSnapshots.getById(snapshot.snapshot.id));
  });

  it("kubernetes: a cluster provisioning → running (and one ending in error), a node pool provisioning → running", async () => {
    const clusterState = ({ status, node_pools }: { status: { state: string }; node_pools: readonly { nodes?: readonly { status?: { state?: string } }[] }[] }): string =>
      `${status.state}, nodes ${[...new Set(node_pools.flatMap((pool) => (pool.nodes ?? []).map((node) => node.status?.state)))].join("/")}`;
    const follow = (clusterId: string, last: string): Promise<string[]> =>
      answers.playThrough(fake, step("kubernetesCluster"), (state) => state.startsWith(last), [
        reader("kubernetes.getCluster", () => client.kubernetes.getCluster(clusterId), ({ kubernetes_cluster }) => clusterState(kubernetes_cluster)),
        reader("kubernetes.listClusters", () => client.kubernetes.listClusters(), ({ kubernetes_clusters }) => kubernetes_clusters.map(clusterState).join("; ")),
      ]);

    const created = await client.kubernetes.createCluster(clusterBody);
    answers.add("kubernetes.createCluster", "provisioning", created);
    const clusterId = created.kubernetes_cluster.id;
    assert.deepEqual(await follow(clusterId, "running"), ["provisioning, nodes provisioning", "provisioning, nodes running", "running, nodes running"]);

    const pool = await client.kubernetes.addNodePool(clusterId, { name: "extra", size: "s-2vcpu-4gb", count: 1 });
    answers.add("kubernetes.addNodePool", "provisioning", pool);
    const poolId = pool.node_pool.id;
    assert.ok(poolId !== undefined, "the new pool has an id");
    const poolStates = await answers.playThrough(fake, step("nodePool"), (state) => state === "running", [
      reader("kubernetes.getNodePool", () => client.kubernetes.getNodePool(clusterId, poolId), ({ node_pool }) => [...new Set((node_pool.nodes ?? []).map((node) => node.status?.state))].join("/")),
      reader("kubernetes.getCluster", () => client.kubernetes.getCluster(clusterId), ({ kubernetes_cluster }) => clusterState(kubernetes_cluster)),
    ]);
    assert.deepEqual(poolStates, ["provisioning", "running"]);

    fake.lifecycles.failNext("kubernetesCluster");
    const failing = await client.kubernetes.createCluster({ ...clusterBody, name: "broken" });
    assert.deepEqual((await follow(failing.kubernetes_cluster.id, "error")).slice(-1), ["error, nodes running"]);
  });

  it("databases: a cluster creating → online, a replica creating → online, a resize resizing → online", async () => {
    const created = await client.databases.createCluster({ name: "db", engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 });
    answers.add("databases.createCluster", "creating", created);
    const databaseId = created.database.id;
    const statuses = await answers.playThrough(fake, step("databaseCluster"), (status) => status === "online", [
      reader("databases.getCluster", () => client.databases.getCluster(databaseId), ({ database }) => database.status),
      reader("databases.listClusters", () => client.databases.listClusters(), ({ databases }) => (databases ?? []).map((database) => database.status).join()),
    ]);
    assert.deepEqual(statuses, ["creating", "online"]);
    const replica = await client.databases.createReplica(databaseId, { name: "read-1", size: "db-s-1vcpu-1gb" });
    answers.add("databases.createReplica", "creating", replica);
    const replicaStatuses = await answers.playThrough(fake, step("databaseReplica"), (status) => status === "online", [
      reader("databases.getReplica", () => client.databases.getReplica(databaseId, "read-1"), ({ replica: read }) => read?.status ?? "?"),
    ]);
    assert.deepEqual(replicaStatuses, ["creating", "online"]);
    await client.databases.updateClusterSize(databaseId, { size: "db-s-2vcpu-4gb", num_nodes: 2 });
    const resizeStatuses = await answers.playThrough(fake, step("databaseCluster"), (status) => status === "online", [
      reader("databases.getCluster", () => client.databases.getCluster(databaseId), ({ database }) => database.status),
    ]);
    assert.deepEqual(resizeStatuses, ["resizing", "online"]);
  });

  for (const [outcome, failNext] of [["active", false], ["errored", true]] as const) {
    it(`load balancers: new → ${outcome}`, async () => {
      if (failNext) fake.lifecycles.failNext("loadBalancer");
      const created = await client.loadBalancers.create(lbBody);
      answers.add("loadBalancers.create", "new", created);
      const id = created.load_balancer.id;
      const statuses = await answers.playThrough(fake, step("loadBalancer"), (status) => status === outcome, [
        reader("loadBalancers.get", () => client.loadBalancers.get(id), ({ load_balancer }) => load_balancer.status),
        reader("loadBalancers.list", () => client.loadBalancers.list(), ({ load_balancers }) => load_balancers.map((lb) => lb.status).join()),
      ]);
      assert.deepEqual(statuses, ["new", outcome]);
    });
  }

  for (const [outcome, failNext] of [["verified", false], ["error", true]] as const) {
    it(`certificates: a Let's Encrypt certificate pending → ${outcome}`, async () => {
      if (failNext) fake.lifecycles.failNext("certificate");
      const created = await client.certificates.create(certificateBody);
      answers.add("certificates.create", "pending", created);
      const id = created.certificate.id;
      const states = await answers.playThrough(fake, step("certificate"), (state) => state === outcome, [
        reader("certificates.get", () => client.certificates.get(id), ({ certificate }) => certificate.state),
        reader("certificates.list", () => client.certificates.list(), ({ certificates }) => certificates.map((certificate) => certificate.state).join()),
      ]);
      assert.deepEqual(states, ["pending", outcome]);
    });
  }

  it("the compiler accepts every answer above as its method's return type", () => {
    assert.ok(answers.captured.length > 40, `${answers.captured.length} answers captured`);
    const errors = typeErrors(program(answers.captured, join(REPO_ROOT, "src", "index.js")));
    assert.deepEqual(errors, [], `${errors.length} answers do not fit their type:\n${errors.join("\n")}`);
  });
});
