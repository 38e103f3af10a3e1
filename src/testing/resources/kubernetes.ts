import { randomUUID } from "node:crypto";
import { isoNow } from "../clock.js";
import { updateFields } from "../echo.js";
import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import { fromTemplate } from "../templates.js";
import type { KubernetesCluster, KubernetesNode, KubernetesNodePool } from "../types.js";
import { BodyFields } from "../validation.js";

type NodeState = KubernetesNode["status"]["state"];

function checkCount(count: number): number {
  if (count < 1 || count > 512) throw unprocessable("count must be between 1 and 512.");
  return count;
}

function newNodes(poolName: string, from: number, to: number, state: NodeState): KubernetesNode[] {
  const now = isoNow();
  return Array.from({ length: to - from }, (_, offset) => {
    const index = from + offset;
    return { id: randomUUID(), name: `${poolName}-${index + 1}`, status: { state }, droplet_id: String(200_000 + index), created_at: now, updated_at: now };
  });
}

function newPool(fields: BodyFields, state: NodeState): KubernetesNodePool {
  const count = checkCount(fields.integer("count"));
  const name = fields.string("name");
  return {
    id: randomUUID(),
    name,
    size: fields.string("size"),
    count,
    tags: fields.optionalStringArray("tags") ?? [],
    labels: null,
    taints: [],
    auto_scale: false,
    min_nodes: 0,
    max_nodes: 0,
    nodes: newNodes(name, 0, count, state),
  };
}

function setNodes(pool: KubernetesNodePool, state: NodeState): void {
  for (const node of pool.nodes) node.status = { state };
}

/** Adds a cluster from a create request (or seed): `provisioning`, or already `running` for a seed. */
export function addKubernetesCluster(state: FakeState, fields: BodyFields, body: unknown, running: boolean): KubernetesCluster {
  const name = fields.string("name");
  const region = state.region(fields.string("region"));
  if (!region) throw unprocessable("You specified an invalid region for the cluster.");
  const pools = fields.raw("node_pools");
  if (!Array.isArray(pools) || pools.length === 0) throw unprocessable("node_pools must hold at least one node pool.");
  const cluster = fromTemplate<KubernetesCluster>("kubernetes_get_cluster", "kubernetes_cluster", body, {
    name,
    region: region.slug,
    status: running ? { state: "running" } : { state: "provisioning", message: "provisioning" },
    node_pools: pools.map((pool) => newPool(BodyFields.from(pool), running ? "running" : "provisioning")),
  });
  cluster.endpoint = `https://${cluster.id}.k8s.ondigitalocean.com`;
  state.kubernetesClusters.set(cluster.id, cluster);
  return cluster;
}

function requireCluster(state: FakeState, request: FakeRequest): KubernetesCluster {
  const cluster = state.kubernetesClusters.get(stringParam(request, "cluster_id"));
  if (!cluster) throw notFound();
  return cluster;
}

function requirePool(cluster: KubernetesCluster, request: FakeRequest): KubernetesNodePool {
  const pool = cluster.node_pools.find((candidate) => candidate.id === stringParam(request, "node_pool_id"));
  if (!pool) throw notFound();
  return pool;
}

/** DigitalOcean answers "" for the control plane's endpoint and address until it is up; returns what brings them up. */
function hideControlPlane(cluster: KubernetesCluster): () => void {
  const { endpoint, ipv4 } = cluster;
  cluster.endpoint = "";
  cluster.ipv4 = "";
  return () => Object.assign(cluster, { endpoint, ipv4 });
}

function createCluster(request: FakeRequest, { state, lifecycles }: World): KubernetesCluster {
  const cluster = addKubernetesCluster(state, BodyFields.of(request), request.body, false);
  const controlPlaneUp = hideControlPlane(cluster);
  lifecycles.play(
    "kubernetesCluster",
    [[0.6, () => cluster.node_pools.forEach((pool) => setNodes(pool, "running"))]],
    () => {
      cluster.status = { state: "running" };
      controlPlaneUp();
    },
    () => (cluster.status = { state: "error", message: "The cluster failed to provision." }),
  );
  return cluster;
}

function addPool(request: FakeRequest, { state, lifecycles }: World): KubernetesNodePool {
  const cluster = requireCluster(state, request);
  const pool = newPool(BodyFields.of(request), "provisioning");
  cluster.node_pools.push(pool);
  lifecycles.play("nodePool", [], () => setNodes(pool, "running"));
  return pool;
}

/** What `PUT /v2/kubernetes/clusters/{id}` changes (the create's other fields stay as created). */
const CLUSTER_UPDATABLE = ["name", "tags", "maintenance_policy", "auto_upgrade", "surge_upgrade", "ha", "control_plane_firewall", "cluster_autoscaler_configuration", "routing_agent"];

function updateCluster(request: FakeRequest, { state }: World): KubernetesCluster {
  const cluster = requireCluster(state, request);
  BodyFields.of(request).string("name");
  updateFields(cluster, request.body, CLUSTER_UPDATABLE);
  cluster.updated_at = isoNow();
  return cluster;
}

/** What `PUT …/node_pools/{id}` changes; `count` resizes the pool (see `resizePool`). */
const POOL_UPDATABLE = ["name", "tags", "labels", "taints", "auto_scale", "min_nodes", "max_nodes"];

/** Resizes and renames a pool as the API does: new nodes provision, surplus ones go at once. */
function updatePool(request: FakeRequest, { state, lifecycles }: World): KubernetesNodePool {
  const pool = requirePool(requireCluster(state, request), request);
  const fields = BodyFields.of(request);
  fields.string("name");
  const count = checkCount(fields.integer("count"));
  updateFields(pool, request.body, POOL_UPDATABLE);
  if (count > pool.nodes.length) {
    const added = newNodes(pool.name, pool.nodes.length, count, "provisioning");
    pool.nodes.push(...added);
    lifecycles.play("nodePool", [], () => added.forEach((node) => (node.status = { state: "running" })));
  } else {
    pool.nodes.splice(count);
  }
  pool.count = count;
  return pool;
}

function deletePool(request: FakeRequest, { state }: World): void {
  const cluster = requireCluster(state, request);
  const pool = requirePool(cluster, request);
  if (cluster.node_pools.length === 1) throw unprocessable("A cluster must keep at least one node pool.");
  cluster.node_pools.splice(cluster.node_pools.indexOf(pool), 1);
}

/** A kubeconfig for the cluster, as the API serves it (YAML; the token is a placeholder). */
function kubeconfig(cluster: KubernetesCluster): string {
  const context = `do-${cluster.region}-${cluster.name}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- cluster:",
    `    server: ${String(cluster.endpoint)}`,
    `  name: ${context}`,
    "contexts:",
    "- context:",
    `    cluster: ${context}`,
    `    user: ${context}-admin`,
    `  name: ${context}`,
    `current-context: ${context}`,
    "users:",
    `- name: ${context}-admin`,
    "  user:",
    "    token: fake-kubernetes-token",
    "",
  ].join("\n");
}

export const kubernetesRoutes: StatefulRoute[] = [
  { operationId: "kubernetes_list_clusters", handle: (request, { state }) => paginate(request, "kubernetes_clusters", [...state.kubernetesClusters.values()]) },
  { operationId: "kubernetes_create_cluster", handle: (request, world) => ok({ kubernetes_cluster: createCluster(request, world) }, 201) },
  { operationId: "kubernetes_get_cluster", handle: (request, { state }) => ok({ kubernetes_cluster: requireCluster(state, request) }) },
  {
    operationId: "kubernetes_delete_cluster",
    handle: (request, { state }) => {
      state.kubernetesClusters.delete(requireCluster(state, request).id);
      return noContent();
    },
  },
  {
    operationId: "kubernetes_get_kubeconfig",
    handle: (request, { state }) => {
      const cluster = requireCluster(state, request);
      // DigitalOcean serves the kubeconfig once the control plane answers.
      if (cluster.status.state === "provisioning") throw notFound("The cluster is still provisioning.");
      return { status: 200, contentType: "application/yaml", body: kubeconfig(cluster) };
    },
  },
  { operationId: "kubernetes_add_nodePool", handle: (request, world) => ok({ node_pool: addPool(request, world) }, 201) },
  { operationId: "kubernetes_update_cluster", handle: (request, world) => ok({ kubernetes_cluster: updateCluster(request, world) }, 202) },
  { operationId: "kubernetes_list_nodePools", handle: (request, { state }) => ok({ node_pools: requireCluster(state, request).node_pools }) },
  { operationId: "kubernetes_get_nodePool", handle: (request, { state }) => ok({ node_pool: requirePool(requireCluster(state, request), request) }) },
  { operationId: "kubernetes_update_nodePool", handle: (request, world) => ok({ node_pool: updatePool(request, world) }, 202) },
  {
    operationId: "kubernetes_delete_nodePool",
    handle: (request, world) => {
      deletePool(request, world);
      return noContent();
    },
  },
];
