// A Kubernetes cluster: create it, wait until it runs, read its node pools and its kubeconfig.
import type { DigitalOceanClient, KubernetesCluster, KubernetesNodePool } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ cluster: KubernetesCluster; pools: KubernetesNodePool[]; kubeconfig: string }> {
  const created = await client.kubernetes.createCluster({
    name: "prod",
    region: "nyc1",
    version: "latest",
    node_pools: [{ size: "s-2vcpu-4gb", name: "workers", count: 3 }],
  });
  const id: string = created.kubernetes_cluster.id;
  const cluster: KubernetesCluster = await client.waitFor.kubernetesCluster(id, { pollIntervalInMs: 20 });
  const { kubernetes_clusters } = await client.kubernetes.listClusters();
  if (!kubernetes_clusters.some((listed) => listed.id === cluster.id)) throw new Error("the new cluster is not listed");
  const { node_pools } = await client.kubernetes.listNodePools(id);
  const kubeconfig: string = await client.kubernetes.getKubeconfig(id);
  return { cluster, pools: node_pools, kubeconfig };
}
