// Invoices: the list's invoices and one invoice's items, summed.
import type { DigitalOceanClient, Invoice } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ latest: Invoice | undefined; total: number }> {
  const { invoices } = await client.invoices.list();
  const latest = invoices[0];
  let total = 0;
  if (latest !== undefined) {
    const uuid: string = latest.invoice_uuid;
    for await (const item of client.invoices.getByUUID(uuid)) total += Number(item.amount);
  }
  return { latest, total };
}
