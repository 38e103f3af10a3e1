// A family the fake keeps state for is stateful in every list, get, update and delete of it, and a
// `fallback` cannot shadow an operation the fake serves from state.
import assert from "node:assert/strict";
import { operationGroups } from "../../src/operations/tables.js";
import type { DigitalOceanClient } from "../../src/index.js";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { useVirtualFake } from "./helpers.js";
import { statefulRoutes } from "../../src/testing/resources/index.js";

describe("fake DigitalOcean: stateful families", () => {
  it("refuses, at start, a fallback for an operation it answers from state, naming it briefly", async () => {
    await assert.rejects(startFakeDigitalOcean({ fallback: { droplets_get: { body: { droplet: { id: 1 } } } } }), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /fallback/);
      assert.match(error.message, /droplets_get/);
      assert.ok(error.message.length < 300, error.message);
      return true;
    });
    const many = Object.fromEntries(statefulRoutes.map((route) => [route.operationId, { body: { secret: "x".repeat(1000) } }]));
    await assert.rejects(startFakeDigitalOcean({ fallback: many }), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.ok(error.message.length < 300, `${error.message.length} characters`);
      assert.doesNotMatch(error.message, /xxxx/);
      return true;
    });
    // An operation without stateful behaviour is still overridable.
    const fake = await startFakeDigitalOcean({ fallback: { cdn_list_endpoints: { body: { endpoints: [], links: {}, meta: { total: 0 } } } } });
    await fake.close();
  });

  it("every list, get, update and delete beside a stateful create, get or list is stateful too", () => {
    const stateful = new Set(statefulRoutes.map((route) => route.operationId));
    // Collections by path: `GET|POST|PUT P` (a PUT replaces the whole list, as a database's firewall
    // rules) and `GET|PUT|PATCH|DELETE P/{id}` are one family.
    const families = new Map<string, string[]>();
    for (const table of Object.values(operationGroups)) {
      for (const { id, method, path } of Object.values(table)) {
        const item = /^(.*)\/\{[^}/]+\}$/.exec(path);
        const collection = item ? item[1]! : path;
        if (item ? !["GET", "PUT", "PATCH", "DELETE"].includes(method) : !["GET", "POST", "PUT"].includes(method)) continue;
        families.set(collection, [...(families.get(collection) ?? []), id]);
      }
    }
    const canned = [...families.values()].filter((ids) => ids.some((id) => stateful.has(id))).flatMap((ids) => ids.filter((id) => !stateful.has(id)));
    assert.deepEqual(canned, []);
  });

  it("a database cluster's sub-resources, and the operations that change what its get answers, are stateful", () => {
    const stateful = new Set(statefulRoutes.map((route) => route.operationId));
    // Out of the path rule's reach: an action on a user, a resize; and the families under a cluster,
    // whose users and databases the cluster's own answer lists.
    const expected = [
      "databases_list_users", "databases_add_user", "databases_get_user", "databases_update_user", "databases_delete_user", "databases_reset_auth",
      "databases_list", "databases_add", "databases_get", "databases_delete",
      "databases_list_connectionPools", "databases_add_connectionPool", "databases_get_connectionPool", "databases_update_connectionPool", "databases_delete_connectionPool",
      "databases_list_firewall_rules", "databases_update_firewall_rules", "databases_update_clusterSize",
    ];
    assert.deepEqual(expected.filter((id) => !stateful.has(id)), []);
  });

  describe("families whose create was stateful while the rest answered canned data", () => {
    let fake: FakeDigitalOcean;
    let client: DigitalOceanClient;
    useVirtualFake((f, c) => ((fake = f), (client = c)));

    it("vpcPeerings: create, list, get, patch and delete work on the stored peering, and its poller finishes", async () => {
      const { vpc: a } = await client.vpcs.create({ name: "a", region: "nyc3" });
      const { vpc: b } = await client.vpcs.create({ name: "b", region: "nyc3" });
      const poller = client.pollers.vpcPeering(client.vpcPeerings.create({ name: "a-b", vpc_ids: [a.id ?? "", b.id ?? ""] }));
      const done = poller.pollUntilDone();
      await fake.clock.runUntilIdle();
      const peering = await done;
      assert.equal(peering.status, "ACTIVE");
      assert.deepEqual(peering.vpc_ids, [a.id, b.id]);
      const id = peering.id ?? "";
      const listed: (string | undefined)[] = [];
      for await (const each of client.vpcPeerings.list()) listed.push(each.id);
      assert.deepEqual(listed, [id]);
      assert.equal((await client.vpcPeerings.patch(id, { name: "renamed" })).vpc_peering?.name, "renamed");
      assert.equal((await client.vpcPeerings.get(id)).vpc_peering?.name, "renamed");
      assert.equal((await client.vpcPeerings.delete(id)).vpc_peering?.status, "DELETING");
      await assert.rejects(client.vpcPeerings.get(id), { statusCode: 404 });
      await assert.rejects(client.vpcPeerings.create({ name: "x", vpc_ids: [a.id ?? "", "no-such-vpc"] }), { statusCode: 422 });
    });

    it("kubernetes: updateCluster, listNodePools, updateNodePool (a resize its waiter sees through) and deleteNodePool", async () => {
      const { kubernetes_cluster: created } = await client.kubernetes.createCluster({ name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "workers", size: "s-2vcpu-4gb", count: 2 }] });
      const id = created.id ?? "";
      await fake.clock.runUntilIdle();
      const { kubernetes_cluster: updated } = await client.kubernetes.updateCluster(id, { name: "prod-renamed", tags: ["team"] });
      assert.equal(updated.id, id);
      assert.equal(updated.name, "prod-renamed");
      assert.equal((await client.kubernetes.getCluster(id)).kubernetes_cluster.name, "prod-renamed");

      const { node_pool: extra } = await client.kubernetes.addNodePool(id, { name: "extra", size: "s-1vcpu-2gb", count: 1 });
      const poolId = extra.id ?? "";
      assert.deepEqual((await client.kubernetes.listNodePools(id)).node_pools?.map((pool) => pool.name), ["workers", "extra"]);
      const { node_pool: resized } = await client.kubernetes.updateNodePool(id, poolId, { name: "extra", count: 3 });
      assert.equal(resized.count, 3);
      assert.equal(resized.nodes?.length, 3);
      const ready = client.waitFor.nodePool(id, poolId);
      await fake.clock.runUntilIdle();
      assert.ok((await ready).nodes?.every((node) => node.status?.state === "running"));
      await client.kubernetes.deleteNodePool(id, poolId);
      await assert.rejects(client.kubernetes.getNodePool(id, poolId), { statusCode: 404 });
      assert.deepEqual((await client.kubernetes.listNodePools(id)).node_pools?.map((pool) => pool.name), ["workers"]);
    });

    it("databases: listReplicas and destroyReplica work on the stored replicas", async () => {
      const { database } = await client.databases.createCluster({ name: "db", engine: "pg", size: "db-s-1vcpu-1gb", region: "nyc3", num_nodes: 1 });
      const id = database.id ?? "";
      await client.databases.createReplica(id, { name: "read-1", size: "db-s-1vcpu-1gb" });
      await client.databases.createReplica(id, { name: "read-2", size: "db-s-1vcpu-1gb" });
      assert.deepEqual((await client.databases.listReplicas(id)).replicas?.map((replica) => replica.name), ["read-1", "read-2"]);
      await client.databases.destroyReplica(id, "read-1");
      await assert.rejects(client.databases.getReplica(id, "read-1"), { statusCode: 404 });
      assert.deepEqual((await client.databases.listReplicas(id)).replicas?.map((replica) => replica.name), ["read-2"]);
    });

    it("loadBalancers: update, droplets and forwarding rules change the stored load balancer", async () => {
      const rule = { entry_protocol: "http", entry_port: 80, target_protocol: "http", target_port: 80 } as const;
      const tls = { entry_protocol: "https", entry_port: 443, target_protocol: "http", target_port: 80, certificate_id: "c" } as const;
      const { load_balancer: created } = await client.loadBalancers.create({ name: "lb", region: "nyc3", droplet_ids: [1], forwarding_rules: [rule] });
      const id = created.id ?? "";
      const { load_balancer: updated } = await client.loadBalancers.update(id, { name: "lb-renamed", region: "nyc3", droplet_ids: [1, 2], forwarding_rules: [rule] });
      assert.equal(updated.id, id);
      assert.equal(updated.name, "lb-renamed");
      await client.loadBalancers.addDroplets(id, { droplet_ids: [3] });
      await client.loadBalancers.removeDroplets(id, { droplet_ids: [1] });
      await client.loadBalancers.addForwardingRules(id, { forwarding_rules: [tls] });
      await client.loadBalancers.removeForwardingRules(id, { forwarding_rules: [rule] });
      const { load_balancer: stored } = await client.loadBalancers.get(id);
      assert.equal(stored.name, "lb-renamed");
      assert.deepEqual(stored.droplet_ids, [2, 3]);
      assert.deepEqual(stored.forwarding_rules?.map((each) => each.entry_port), [443]);
    });
  });
});
