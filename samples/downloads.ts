// Operations that answer something other than JSON: a kubeconfig (YAML, as a string) and an
// invoice (PDF, as bytes), written to files.
import { writeFile } from "node:fs/promises";
import type { DigitalOceanClient } from "../src/index.js";

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
