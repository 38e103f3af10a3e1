// Databases: clusters by natural name, their ids and connection details.
import type { DatabaseCluster, DigitalOceanClient } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ id: string; engine: DatabaseCluster["engine"]; host: string | undefined }[]> {
  const { databases } = await client.databases.listClusters();
  return (databases ?? []).map((cluster: DatabaseCluster) => ({ id: cluster.id, engine: cluster.engine, host: cluster.connection?.host }));
}
