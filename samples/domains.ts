// DNS: add a domain, create, list, change and delete its records, remove the domain.
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

/** Returns the records of the domain (`type name data`) as listed after the changes. */
export async function manageRecords(client: DigitalOceanClient, name: string, ip: string, log: (...values: unknown[]) => void): Promise<string[]> {
  await client.domains.create({ name, ip_address: ip });
  log(`added domain ${name} (apex A → ${ip})`);
  try {
    const { domain_record: www } = await client.domains.createRecord(name, { type: "A", name: "www", data: ip, ttl: 1800 });
    await client.domains.createRecord(name, { type: "CNAME", name: "blog", data: `www.${name}.`, ttl: 3600 });
    await client.domains.updateRecord(name, www!.id!, { type: "A", name: "www", data: "198.51.100.7" });
    const records: string[] = [];
    // Every record, page by page: a domain starts with NS and SOA records of its own.
    for await (const record of client.domains.listRecords(name, { per_page: 50 })) records.push(`${record.type} ${record.name} ${record.data}`);
    log(records.join("\n"));
    await client.domains.deleteRecord(name, www!.id!);
    log(`deleted record ${www!.id}`);
    return records;
  } finally {
    await client.domains.delete(name);
    log(`removed domain ${name}`);
  }
}

runSample(
  module,
  async ({ client, log }) => {
    await manageRecords(client, "tsdo-sample.example.com", "198.51.100.10", log);
  },
  { creates: true },
);
