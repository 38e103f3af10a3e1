// Cloud firewalls: allow SSH and HTTP in for droplets with a tag, everything out; add HTTPS later;
// list the account's firewalls; remove it.
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

const everywhere = { addresses: ["0.0.0.0/0", "::/0"] };

/** Creates the firewall, adds a rule, lists firewalls and deletes it; returns its inbound ports. */
export async function webFirewall(client: DigitalOceanClient, tag: string, log: (...values: unknown[]) => void): Promise<string[]> {
  const { firewall } = await client.firewalls.create({
    name: "tsdo-sample-web",
    tags: [tag],
    inbound_rules: [
      { protocol: "tcp", ports: "22", sources: everywhere },
      { protocol: "tcp", ports: "80", sources: everywhere },
    ],
    outbound_rules: [
      { protocol: "tcp", ports: "all", destinations: everywhere },
      { protocol: "udp", ports: "all", destinations: everywhere },
    ],
  });
  const firewallId = firewall!.id!;
  log(`created firewall ${firewall!.name} (${firewallId}) for tag ${tag}`);
  try {
    await client.firewalls.addRules(firewallId, { inbound_rules: [{ protocol: "tcp", ports: "443", sources: everywhere }] });
    const { firewall: now } = await client.firewalls.get(firewallId);
    const ports = (now!.inbound_rules ?? []).map((rule) => `${rule.protocol}/${rule.ports}`);
    log(`inbound: ${ports.join(", ")}`);
    for await (const each of client.firewalls.list()) log(`firewall ${each.name}: ${each.status}`);
    return ports;
  } finally {
    await client.firewalls.delete(firewallId);
    log(`deleted firewall ${firewallId}`);
  }
}

runSample(
  module,
  async ({ client, log }) => {
    await webFirewall(client, "tsdo-sample", log);
  },
  { creates: true, seed: { tags: ["tsdo-sample"] } },
);
