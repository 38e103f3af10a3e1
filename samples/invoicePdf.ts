// The latest invoice as a PDF file (read-only): list invoices, download the newest one's PDF.
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DigitalOceanClient } from "../src/index.js";
import { saveInvoicePdf } from "./downloads.js";
import { runSample } from "./run.js";

/** Saves the newest invoice's PDF into `dir`; returns the file, or `undefined` when there is no invoice yet. */
export async function saveLatestInvoice(client: DigitalOceanClient, dir: string): Promise<{ file: string; bytes: number } | undefined> {
  const { invoices } = await client.invoices.list({ per_page: 1 });
  const latest = invoices?.[0];
  if (latest?.invoice_uuid === undefined) return undefined;
  const file = join(dir, `invoice-${latest.invoice_period ?? latest.invoice_uuid}.pdf`);
  const pdf = await saveInvoicePdf(client, latest.invoice_uuid, file);
  return { file, bytes: pdf.byteLength };
}

runSample(module, async ({ client, log }) => {
  const saved = await saveLatestInvoice(client, process.env.INVOICE_DIR ?? tmpdir());
  log(saved === undefined ? "no invoice yet" : `saved ${saved.file} (${saved.bytes} bytes)`);
});
