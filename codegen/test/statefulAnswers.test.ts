// The stateful fake builds its own answers (the guard covers only its canned ones): they must carry
// every property the generated response types require, or typed code would read `undefined`.
import assert from "node:assert/strict";
import { type ResponseRequired, responseRequired } from "../evidence.js";
import { readOperations } from "../operations.js";
import type { Schema, Spec } from "../spec.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import type { DigitalOceanClient } from "../../src/index.js";
import { loadGeneratorSpec } from "../../test/support/spec.js";

/** JSON pointers of required properties an answer lacks (unions are not descended into). */
function missing(spec: Spec, required: ResponseRequired, value: unknown, schema: Schema, at: string, out: string[]): void {
  if (value === null || typeof value !== "object") return;
  const node = spec.deref(schema);
  for (const member of node.allOf ?? []) missing(spec, required, value, member, at, out);
  if (Array.isArray(value)) {
    if (node.items !== undefined) value.forEach((item, i) => missing(spec, required, item, node.items!, `${at}/${i}`, out));
    return;
  }
  if (node.oneOf !== undefined || node.anyOf !== undefined) return;
  const record = value as Record<string, unknown>;
  for (const name of new Set([...(node.required ?? []), ...(required.get(node) ?? [])])) {
    const property = node.properties?.[name];
    if (property !== undefined && spec.deref(property).writeOnly !== true && !(name in record)) out.push(`${at}/${name}`);
  }
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    if (name in record) missing(spec, required, record[name], property, `${at}/${name}`, out);
  }
}

describe("the stateful fake's answers carry what the response types require", () => {
  let spec: Spec;
  let required: ResponseRequired;
  let schemas: Map<string, Schema>;
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  before(async function () {
    this.timeout(60_000); // reading the spec and its evidence
    spec = loadGeneratorSpec();
    required = responseRequired(spec);
    schemas = new Map(readOperations(spec).operations.flatMap((op) => (op.response.schema === undefined ? [] : [[op.id, op.response.schema] as const])));
    fake = await startFakeDigitalOcean({ actionDelayInMs: 1 });
    client = createTestClient(fake);
  });
  after(() => fake?.close());

  const check = (operationId: string, answer: unknown): void => {
    const out: string[] = [];
    missing(spec, required, answer, schemas.get(operationId)!, "", out);
    assert.deepEqual(out, [], `${operationId} lacks ${out.join(", ")}`);
  };

  it("for droplets, volumes, SSH keys, domains, records, tags, projects, VPCs, firewalls, reserved IPs and actions", async () => {
    const created = await client.droplets.create({ name: "a", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
    check("droplets_create", created);
    const { droplet } = await client.droplets.get(created.droplet.id);
    check("droplets_get", { droplet });
    check("droplets_list", await client.droplets.list());
    const { volume } = await client.volumes.create({ name: "v", size_gigabytes: 10, region: "nyc3" });
    check("volumes_get", await client.volumes.get(volume.id));
    const { ssh_key } = await client.sshKeys.create({ name: "k", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl k" });
    check("sshKeys_get", await client.sshKeys.get(ssh_key.id));
    check("domains_create", await client.domains.create({ name: "example.com" }));
    check("domains_get", await client.domains.get("example.com"));
    const { domain_record } = await client.domains.createRecord("example.com", { type: "A", name: "www", data: "192.0.2.1" });
    check("domains_get_record", await client.domains.getRecord("example.com", domain_record.id));
    await client.tags.create({ name: "web" });
    check("tags_get", await client.tags.get("web"));
    const { project } = await client.projects.create({ name: "p", purpose: "x" });
    check("projects_get", await client.projects.get(project.id));
    await client.vpcs.create({ name: "n", region: "nyc3" });
    check("vpcs_list", await client.vpcs.list());
    const { firewall } = await client.firewalls.create({ name: "fw-1", inbound_rules: [{ protocol: "tcp", ports: "22", sources: { addresses: ["0.0.0.0/0"] } }] });
    check("firewalls_get", await client.firewalls.get(firewall.id));
    const { reserved_ip } = await client.reservedIPs.create({ region: "nyc3" });
    check("reservedIPs_get", await client.reservedIPs.get(reserved_ip.ip));
    const { action } = await client.dropletActions.post(droplet.id, { type: "snapshot", name: "s" });
    check("actions_get", await client.actions.get(action.id));
    check("snapshots_list", await client.snapshots.list());
  });
});
