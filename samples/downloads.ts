// Operations that answer something other than JSON: a kubeconfig (YAML, as a string), an invoice
// (PDF, as bytes; CSV, as a string), written to files.
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

export async function saveKubeconfig(client: DigitalOceanClient, clusterId: string, file: string): Promise<string> {
  const kubeconfig = await client.kubernetes.getKubeconfig(clusterId);
  await writeFile(file, kubeconfig, { mode: 0o600 });
  return kubeconfig;
}

export async function saveInvoicePdf(client: DigitalOceanClient, invoiceUuid: string, file: string): Promise<Uint8Array> {
  const pdf = await client.invoices.getPdfByUUID(invoiceUuid);
  await writeFile(file, pdf);
  return pdf;
}

runSample(module, async ({ client, log }) => {
  const dir = process.env.DOWNLOAD_DIR ?? tmpdir();
  const { invoices } = await client.invoices.list({ per_page: 1 });
  const uuid = invoices?.[0]?.invoice_uuid;
  if (uuid !== undefined) {
    const csv = await client.invoices.getCsvByUUID(uuid);
    log(`invoice ${uuid}: ${csv.trim().split("\n").length - 1} CSV lines; columns ${csv.split("\n")[0]}`);
    log(`invoice PDF: ${(await saveInvoicePdf(client, uuid, join(dir, `invoice-${uuid}.pdf`))).byteLength} bytes`);
  }
  const { kubernetes_clusters: clusters } = await client.kubernetes.listClusters({ per_page: 1 });
  const clusterId = clusters?.[0]?.id;
  if (clusterId !== undefined) {
    const yaml = await saveKubeconfig(client, clusterId, join(dir, `kubeconfig-${clusterId}.yaml`));
    log(`kubeconfig of ${clusterId}: ${yaml.split("\n").length} lines of YAML`);
  }
}, { seed: { kubernetesClusters: [{ name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "workers", size: "s-2vcpu-4gb", count: 2 }] }] } });
