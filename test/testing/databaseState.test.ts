// A database cluster on the fake keeps its users, logical databases, connection pools and firewall
// rules, and a resize plays on the lifecycle clock, so code that manages them runs as against the API.
import assert from "node:assert/strict";
import type { DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

describe("fake DigitalOcean: a database cluster's users, databases, pools, firewall and resize", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  let id: string;
  before(async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual" });
    client = createTestClient(fake, { retryOptions: { maxRetries: 0 } });
  });
  beforeEach(async () => {
    const { database } = await client.databases.createCluster({ name: "db", engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 });
    id = database.id;
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  it("users: a new cluster has its doadmin; add, list, get, update, reset the password and delete work on the stored users", async () => {
    const { database } = await client.databases.getCluster(id);
    assert.deepEqual((await client.databases.listUsers(id)).users?.map((user) => [user.name, user.role]), [["doadmin", "primary"]]);
    assert.equal(database.connection?.user, "doadmin");
    assert.equal((await client.databases.getUser(id, "doadmin")).user.password, database.connection?.password);

    const { user: added } = await client.databases.addUser(id, { name: "app-01" });
    assert.equal(added.role, "normal");
    assert.match(added.password, /^[a-z0-9]{16}$/);
    assert.deepEqual((await client.databases.listUsers(id)).users?.map((user) => user.name), ["doadmin", "app-01"]);
    assert.deepEqual((await client.databases.getUser(id, "app-01")).user, added);
    await assert.rejects(client.databases.addUser(id, { name: "app-01" }), { statusCode: 422 });

    const { user: updated } = await client.databases.updateUser(id, "app-01", { settings: { pg_allow_replication: true } });
    assert.equal(updated.settings?.pg_allow_replication, true);
    const { user: reset } = await client.databases.resetAuth(id, "app-01", {});
    assert.notEqual(reset.password, added.password);
    assert.equal((await client.databases.getUser(id, "app-01")).user.password, reset.password);

    await client.databases.deleteUser(id, "app-01");
    await assert.rejects(client.databases.getUser(id, "app-01"), { statusCode: 404 });
    await assert.rejects(client.databases.deleteUser(id, "app-01"), { statusCode: 404 });
    assert.deepEqual((await client.databases.listUsers(id)).users?.map((user) => user.name), ["doadmin"]);
    assert.deepEqual((await client.databases.getCluster(id)).database.users?.map((user) => user.name), ["doadmin"]);
  });

  it("databases: a new cluster has defaultdb; add, list, get and delete work on the stored databases", async () => {
    assert.deepEqual((await client.databases.list(id)).dbs.map((db) => db.name), ["defaultdb"]);
    assert.deepEqual((await client.databases.add(id, { name: "alpha" })).db, { name: "alpha" });
    await assert.rejects(client.databases.add(id, { name: "alpha" }), { statusCode: 422 });
    assert.deepEqual((await client.databases.get(id, "alpha")).db, { name: "alpha" });
    assert.deepEqual((await client.databases.list(id)).dbs.map((db) => db.name), ["defaultdb", "alpha"]);
    await client.databases.delete(id, "alpha");
    await assert.rejects(client.databases.get(id, "alpha"), { statusCode: 404 });
    assert.deepEqual((await client.databases.getCluster(id)).database.db_names, ["defaultdb"]);
  });

  it("connection pools: add, list, get, update and delete work on the stored pools, on existing users and databases", async () => {
    const { user } = await client.databases.addUser(id, { name: "app" });
    const { pool } = await client.databases.addConnectionPool(id, { name: "app-pool", mode: "transaction", size: 10, db: "defaultdb", user: "app" });
    assert.deepEqual([pool.name, pool.mode, pool.size, pool.db, pool.user], ["app-pool", "transaction", 10, "defaultdb", "app"]);
    assert.equal(pool.connection.database, "app-pool");
    assert.equal(pool.connection.password, user.password);
    await assert.rejects(client.databases.addConnectionPool(id, { name: "app-pool", mode: "session", size: 1, db: "defaultdb" }), { statusCode: 422 });
    await assert.rejects(client.databases.addConnectionPool(id, { name: "other", mode: "session", size: 1, db: "no-such-db" }), { statusCode: 422 });
    assert.deepEqual((await client.databases.listConnectionPools(id)).pools.map((each) => each.name), ["app-pool"]);

    await client.databases.updateConnectionPool(id, "app-pool", { mode: "session", size: 5, db: "defaultdb" });
    const { pool: stored } = await client.databases.getConnectionPool(id, "app-pool");
    assert.deepEqual([stored.mode, stored.size, stored.user], ["session", 5, "doadmin"]);

    await client.databases.deleteConnectionPool(id, "app-pool");
    await assert.rejects(client.databases.getConnectionPool(id, "app-pool"), { statusCode: 404 });
    await assert.rejects(client.databases.updateConnectionPool(id, "app-pool", { mode: "session", size: 5, db: "defaultdb" }), { statusCode: 404 });
    assert.deepEqual((await client.databases.listConnectionPools(id)).pools, []);
  });

  it("firewall rules: a PUT replaces the stored list, which the GET answers", async () => {
    assert.deepEqual((await client.databases.listFirewallRules(id)).rules, []);
    await client.databases.updateFirewallRules(id, { rules: [{ type: "ip_addr", value: "192.0.2.10" }, { type: "tag", value: "backend" }] });
    const { rules: first } = await client.databases.listFirewallRules(id);
    assert.deepEqual(first?.map((rule) => [rule.type, rule.value, rule.cluster_uuid]), [["ip_addr", "192.0.2.10", id], ["tag", "backend", id]]);
    await client.databases.updateFirewallRules(id, { rules: [{ type: "k8s", value: "ff2a6c52-5a44-4b63-b99c-0e98e7a63d61" }] });
    assert.deepEqual((await client.databases.listFirewallRules(id)).rules?.map((rule) => rule.type), ["k8s"]);
  });

  it("resize: the cluster is resizing with its new size, and waitFor.databaseCluster follows it to online", async () => {
    await fake.clock.runUntilIdle();
    assert.equal((await client.databases.getCluster(id)).database.status, "online");
    await client.databases.updateClusterSize(id, { size: "db-s-2vcpu-4gb", num_nodes: 2 });
    const { database: resizing } = await client.databases.getCluster(id);
    assert.deepEqual([resizing.status, resizing.size, resizing.num_nodes], ["resizing", "db-s-2vcpu-4gb", 2]);
    const online = client.waitFor.databaseCluster(id);
    await fake.clock.runUntilIdle();
    assert.equal((await online).status, "online");
  });

  it("answers 404 for an unknown cluster on every sub-resource, and for an unknown user, database or pool", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    await assert.rejects(client.databases.listUsers(missing), { statusCode: 404 });
    await assert.rejects(client.databases.addUser(missing, { name: "x" }), { statusCode: 404 });
    await assert.rejects(client.databases.list(missing), { statusCode: 404 });
    await assert.rejects(client.databases.listConnectionPools(missing), { statusCode: 404 });
    await assert.rejects(client.databases.listFirewallRules(missing), { statusCode: 404 });
    await assert.rejects(client.databases.updateClusterSize(missing, { size: "db-s-2vcpu-4gb", num_nodes: 2 }), { statusCode: 404 });
    await assert.rejects(client.databases.getUser(id, "nobody"), { statusCode: 404 });
    await assert.rejects(client.databases.resetAuth(id, "nobody", {}), { statusCode: 404 });
    await assert.rejects(client.databases.get(id, "nothing"), { statusCode: 404 });
    await assert.rejects(client.databases.delete(id, "nothing"), { statusCode: 404 });
    await assert.rejects(client.databases.getConnectionPool(id, "none"), { statusCode: 404 });
  });

  it("keeps each cluster's sub-resources apart, and forgets them with the cluster", async () => {
    const { database: other } = await client.databases.createCluster({ name: "other", engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 });
    await client.databases.addUser(id, { name: "only-here" });
    assert.deepEqual((await client.databases.listUsers(other.id)).users?.map((user) => user.name), ["doadmin"]);
    await client.databases.destroyCluster(id);
    await assert.rejects(client.databases.listUsers(id), { statusCode: 404 });
    assert.equal(fake.state.databasePools.has(id), false);
  });
});
