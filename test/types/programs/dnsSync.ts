// DNS sync: wanted records against the domain's records, by id and name.
import type { DigitalOceanClient, DomainRecord } from "tsdo";

const WANTED: readonly { readonly type: "A" | "CNAME"; readonly name: string; readonly data: string }[] = [
  { type: "A", name: "www", data: "192.0.2.10" },
  { type: "CNAME", name: "blog", data: "www.example.com." },
];

export async function run(client: DigitalOceanClient): Promise<DomainRecord[]> {
  const { domain } = await client.domains.create({ name: "example.com" });
  const existing: DomainRecord[] = [];
  for await (const record of client.domains.listRecords(domain.name)) existing.push(record);
  const created: DomainRecord[] = [];
  for (const want of WANTED) {
    const found = existing.find((record) => record.type === want.type && record.name === want.name);
    if (found !== undefined) {
      if (found.data !== want.data) await client.domains.patchRecord(domain.name, found.id, { type: want.type, data: want.data });
      continue;
    }
    const { domain_record } = await client.domains.createRecord(domain.name, { type: want.type, name: want.name, data: want.data });
    created.push(domain_record);
  }
  return created;
}
