// Long-running work: create a Kubernetes cluster, wait until it runs (a poller, resumable from its
// token after a restart), then write its kubeconfig to a file only the user can read.
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

export async function createClusterWithKubeconfig(client: DigitalOceanClient, name: string, file: string, onState: (state: string) => void = () => {}, pollIntervalInMs?: number) {
  const poller = client.pollers.kubernetesCluster(
    client.kubernetes.createCluster({ name, region: "nyc1", version: "latest", node_pools: [{ name: "workers", size: "s-2vcpu-4gb", count: 3 }] }),
  );
  poller.onProgress((progress) => onState(progress.resource?.status?.state ?? "unknown"));
  // Save poller.toString() (after `await poller.submitted()`) to continue with client.resumePoller(token).
  const cluster = await poller.pollUntilDone({ timeoutInMs: 30 * 60_000, pollIntervalInMs });
  const kubeconfig = await client.kubernetes.getKubeconfig(cluster.id!);
  await writeFile(file, kubeconfig, { mode: 0o600 });
  return cluster;
}

runSample(
  module,
  async ({ client, pollIntervalInMs, log }) => {
    const file = join(tmpdir(), "tsdo-sample-kubeconfig.yaml");
    let last = "";
    const cluster = await createClusterWithKubeconfig(client, "tsdo-sample", file, (state) => state !== last && log(`cluster is ${(last = state)}`), pollIntervalInMs);
    log(`cluster ${cluster.id} is ${cluster.status?.state}; its kubeconfig is in ${file}`);
    await client.kubernetes.deleteCluster(cluster.id!); // a sample deletes what it created (clusters are billed)
    log("deleted the cluster");
  },
  { creates: true },
);
