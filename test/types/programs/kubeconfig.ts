// A Kubernetes cluster, its node pools and its kubeconfig.
import type { DigitalOceanClient, KubernetesCluster, KubernetesNodePool } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ cluster: KubernetesCluster; pools: KubernetesNodePool[]; kubeconfig: string }> {
  const { kubernetes_clusters } = await client.kubernetes.listClusters();
  const cluster = kubernetes_clusters[0];
  if (cluster === undefined) throw new Error("no cluster");
  const id: string = cluster.id;
  const { node_pools } = await client.kubernetes.listNodePools(id);
  const kubeconfig: string = await client.kubernetes.getKubeconfig(id);
  return { cluster, pools: node_pools, kubeconfig };
}
