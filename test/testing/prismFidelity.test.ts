import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { fallbackResponses } from "../../src/testing/generated/fallbackResponses.js";
import { startFakeDigitalOcean, type FakeAction as Action, type FakeDigitalOcean } from "../../src/testing/index.js";
import { statefulRoutes } from "../../src/testing/resources/index.js";
import { publicKey, sleep } from "./helpers.js";
import { SPEC_FILE } from "../support/spec.js";

const repositoryRoot = resolve(__dirname, "../../..");
const prismBin = resolve(repositoryRoot, "node_modules/.bin/prism");
/** Operations whose request schema no request satisfies under Prism (see where each is sent). */
const unvalidatable = new Set(["dropletActions_post_byTag"]);

/** One request sent through Prism and what Prism made of the fake's answer. */
interface Checked {
  operationId: string;
  status: number;
  violations: string | null;
  body: Record<string, unknown>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `prism proxy` in front of the fake; resolves once it listens (loading the 3 MB spec takes a while). */
async function startPrism(specPath: string, upstream: string, port: number): Promise<ChildProcess> {
  // Its own process group, so killing the group also ends anything Prism started.
  const child = spawn(prismBin, ["proxy", specPath, upstream, "--errors", "-h", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  await new Promise<void>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 120 s:\n${output.slice(-2000)}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolveStart();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${String(code)}):\n${output.slice(-2000)}`));
    });
  });
  // Keep draining its log so a full pipe never blocks it.
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

function stopPrism(child: ChildProcess | undefined): void {
  if (child?.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

describe("fake DigitalOcean: fidelity to the spec (Prism as a validating proxy)", function () {
  this.timeout(240_000);
  let fake: FakeDigitalOcean;
  let prism: ChildProcess | undefined;
  let prismUrl: string;
  const checked: Checked[] = [];

  before(async function () {
    // Hundreds of requests go through: lift the rate limit so none is refused for it.
    fake = await startFakeDigitalOcean({ actionDelayInMs: 20, rateLimit: { windows: [{ name: "hour", limit: 100_000, windowInMs: 3_600_000 }], routes: [] } });
    const port = await freePort();
    prismUrl = `http://127.0.0.1:${port}`;
    prism = await startPrism(SPEC_FILE, fake.url, port);
    // Should mocha stop without running `after` hooks, Prism must not outlive it.
    process.once("exit", () => stopPrism(prism));
  });

  after(async () => {
    stopPrism(prism);
    await fake?.close();
  });

  /** Sends one request through Prism; the answer must be the fake's own (not Prism's) with no violations. */
  async function send(
    operationId: string,
    method: string,
    path: string,
    body?: unknown,
    expectedStatus?: number,
    headers: Record<string, string> = {},
  ): Promise<Checked> {
    const result = await exchange(operationId, method, path, body, expectedStatus, false, headers);
    return result!;
  }

  /**
   * Like `send`, but a request Prism itself refuses (a required query parameter the sample does not
   * know) is skipped: `undefined`, nothing asserted.
   */
  async function sendIfValid(operationId: string, method: string, path: string, expectedStatus: number): Promise<Checked | undefined> {
    return exchange(operationId, method, path, undefined, expectedStatus, true, {});
  }

  async function exchange(
    operationId: string,
    method: string,
    path: string,
    body: unknown,
    expectedStatus: number | undefined,
    skipInvalidRequest: boolean,
    headers: Record<string, string>,
  ): Promise<Checked | undefined> {
    const response = await fetch(prismUrl + path, {
      method,
      headers: { authorization: `Bearer ${fake.token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const contentType = response.headers.get("content-type") ?? "";
    const result: Checked = {
      operationId,
      status: response.status,
      violations: response.headers.get("sl-violations"),
      body: contentType.includes("json") && text !== "" ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
    // Prism's own answers (problem+json) without violations mean it refused the request itself.
    if (skipInvalidRequest && contentType.includes("problem+json") && result.violations === null) return undefined;
    checked.push(result);
    const context = `${operationId} ${method} ${path} → ${response.status} ${text.slice(0, 600)}`;
    assert.equal(result.violations, null, `violations: ${context}`);
    assert.ok(!contentType.includes("problem+json"), `Prism answered instead of the fake: ${context}`);
    if (expectedStatus !== undefined) assert.equal(response.status, expectedStatus, context);
    else assert.ok(response.status >= 200 && response.status < 300, context);
    return result;
  }

  /** The named object of an answer, e.g. `field(answer, "droplet")`. */
  function field(answer: Checked, name: string): Record<string, unknown> {
    return answer.body[name] as Record<string, unknown>;
  }

  async function settle(): Promise<void> {
    // Actions complete after 20 ms; wait until none is in progress so the next step may act again.
    while ([...fake.state.actions.values()].some((action: Action) => action.status === "in-progress")) await sleep(10);
  }

  it("answers every stateful operation within the spec", async () => {
    await send("account_get", "GET", "/v2/account");
    await send("regions_list", "GET", "/v2/regions");
    await send("sizes_list", "GET", "/v2/sizes?per_page=3&page=2");

    const key = field(await send("sshKeys_create", "POST", "/v2/account/keys", { name: "fidelity", public_key: publicKey(7) }, 201), "ssh_key");
    await send("sshKeys_list", "GET", "/v2/account/keys");
    await send("sshKeys_get", "GET", `/v2/account/keys/${String(key.id)}`);
    await send("sshKeys_get", "GET", `/v2/account/keys/${String(key.fingerprint)}`);
    await send("sshKeys_update", "PUT", `/v2/account/keys/${String(key.id)}`, { name: "renamed" });
    await send("tags_create", "POST", "/v2/tags", { name: "fidelity" }, 201);

    const vpc = field(await send("vpcs_create", "POST", "/v2/vpcs", { name: "fidelity-vpc", region: "nyc3", ip_range: "10.20.0.0/20" }, 201), "vpc");
    const otherVpc = field(await send("vpcs_create", "POST", "/v2/vpcs", { name: "other-vpc", region: "nyc3" }, 201), "vpc");
    await send("vpcs_get", "GET", `/v2/vpcs/${String(vpc.id)}`);
    await send("vpcs_list", "GET", "/v2/vpcs");
    await send("vpcs_update", "PUT", `/v2/vpcs/${String(vpc.id)}`, { name: "fidelity-vpc", description: "tests", default: true });
    await send("vpcs_patch", "PATCH", `/v2/vpcs/${String(vpc.id)}`, { description: "patched" });
    const peering = field(await send("vpcs_create_peerings", "POST", `/v2/vpcs/${String(vpc.id)}/peerings`, { name: "peer", vpc_id: otherVpc.id }, 202), "peering");
    await send("vpcs_list_peerings", "GET", `/v2/vpcs/${String(vpc.id)}/peerings`);
    await send("vpcPeerings_get", "GET", `/v2/vpc_peerings/${String(peering.id)}`);
    await send("vpcs_patch_peerings", "PATCH", `/v2/vpcs/${String(vpc.id)}/peerings/${String(peering.id)}`, { name: "peer-renamed" });
    const thirdVpc = field(await send("vpcs_create", "POST", "/v2/vpcs", { name: "third-vpc", region: "nyc3" }, 201), "vpc");
    const direct = field(await send("vpcPeerings_create", "POST", "/v2/vpc_peerings", { name: "direct", vpc_ids: [vpc.id, thirdVpc.id] }, 202), "vpc_peering");
    await send("vpcPeerings_list", "GET", "/v2/vpc_peerings");
    await send("vpcPeerings_patch", "PATCH", `/v2/vpc_peerings/${String(direct.id)}`, { name: "direct-renamed" });
    await send("vpcPeerings_delete", "DELETE", `/v2/vpc_peerings/${String(direct.id)}`, undefined, 202);

    const single = await send(
      "droplets_create",
      "POST",
      "/v2/droplets",
      { name: "web-1", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", ssh_keys: [key.id], backups: true, ipv6: true, monitoring: true, tags: ["fidelity"], vpc_uuid: vpc.id },
      202,
    );
    const droplet = field(single, "droplet");
    const dropletId = Number(droplet.id);
    await send("droplets_create", "POST", "/v2/droplets", { names: ["bulk-1", "bulk-2"], region: "nyc3", size: "s-1vcpu-1gb", image: 164000002, tags: ["bulk"] }, 202);
    await send("vpcs_list_members", "GET", `/v2/vpcs/${String(vpc.id)}/members`);
    await settle();

    await send("droplets_list", "GET", "/v2/droplets?per_page=2");
    await send("droplets_list", "GET", "/v2/droplets?tag_name=fidelity");
    await send("droplets_get", "GET", `/v2/droplets/${dropletId}`);
    await send("droplets_list_kernels", "GET", `/v2/droplets/${dropletId}/kernels`);
    await send("droplets_list_neighbors", "GET", `/v2/droplets/${dropletId}/neighbors`);
    await send("droplets_list_neighborsIds", "GET", "/v2/reports/droplet_neighbors_ids");
    await send("droplets_list_backups", "GET", `/v2/droplets/${dropletId}/backups`);

    const powerOff = field(await send("dropletActions_post", "POST", `/v2/droplets/${dropletId}/actions`, { type: "power_off" }, 201), "action");
    await send("dropletActions_get", "GET", `/v2/droplets/${dropletId}/actions/${String(powerOff.id)}`);
    await settle();
    await send("dropletActions_post", "POST", `/v2/droplets/${dropletId}/actions`, { type: "resize", size: "s-2vcpu-4gb", disk: true }, 201);
    await settle();
    await send("dropletActions_post", "POST", `/v2/droplets/${dropletId}/actions`, { type: "snapshot", name: "fidelity-snap" }, 201);
    await settle();
    await send("dropletActions_post", "POST", `/v2/droplets/${dropletId}/actions`, { type: "rename", name: "web-renamed" }, 201);
    await settle();
    await send("dropletActions_list", "GET", `/v2/droplets/${dropletId}/actions`);
    // The spec's body for this operation is a oneOf of two schemas that every body matches, so Prism
    // refuses any request; it goes to the fake directly (its actions are the shape checked above).
    const byTag = await fetch(`${fake.url}/v2/droplets/actions?tag_name=fidelity`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "power_on" }),
    });
    assert.equal(byTag.status, 201);
    await settle();
    await send("actions_list", "GET", "/v2/actions?per_page=5");
    await send("actions_get", "GET", `/v2/actions/${String(powerOff.id)}`);
    await send("droplets_list_snapshots", "GET", `/v2/droplets/${dropletId}/snapshots`);
    await send("droplets_get", "GET", `/v2/droplets/${dropletId}`);

    await send("images_list", "GET", "/v2/images?type=distribution");
    await send("images_list", "GET", "/v2/images?private=true");
    await send("images_get", "GET", "/v2/images/ubuntu-24-04-x64");
    const custom = field(
      await send("images_create_custom", "POST", "/v2/images", { name: "custom", url: "https://example.com/image.qcow2", region: "nyc3", distribution: "Ubuntu", tags: ["fidelity"] }, 202),
      "image",
    );
    await send("images_get", "GET", `/v2/images/${String(custom.id)}`);
    await send("images_update", "PUT", `/v2/images/${String(custom.id)}`, { name: "custom-renamed", description: "updated" });
    const transfer = await send("imageActions_post", "POST", `/v2/images/${String(custom.id)}/actions`, { type: "transfer", region: "ams3" }, 201);
    await send("imageActions_get", "GET", `/v2/images/${String(custom.id)}/actions/${String(transfer.body.id)}`);
    await send("imageActions_list", "GET", `/v2/images/${String(custom.id)}/actions`);
    await settle();

    const snapshots = await send("snapshots_list", "GET", "/v2/snapshots");
    const dropletSnapshot = (snapshots.body.snapshots as Record<string, unknown>[])[0]!;
    await send("snapshots_get", "GET", `/v2/snapshots/${String(dropletSnapshot.id)}`);

    const volume = field(
      await send("volumes_create", "POST", "/v2/volumes", { name: "data", size_gigabytes: 10, region: "nyc3", description: "d", filesystem_type: "ext4", filesystem_label: "data", tags: ["fidelity"] }, 201),
      "volume",
    );
    const volumeId = String(volume.id);
    await send("volumes_get", "GET", `/v2/volumes/${volumeId}`);
    await send("volumes_list", "GET", "/v2/volumes?region=nyc3");
    const attach = field(await send("volumeActions_post_byId", "POST", `/v2/volumes/${volumeId}/actions`, { type: "attach", droplet_id: dropletId, region: "nyc3" }, 202), "action");
    await settle();
    await send("volumeActions_get", "GET", `/v2/volumes/${volumeId}/actions/${String(attach.id)}`);
    await send("volumeActions_list", "GET", `/v2/volumes/${volumeId}/actions`);
    await send("droplets_get", "GET", `/v2/droplets/${dropletId}`);
    await send("volumeActions_post", "POST", "/v2/volumes/actions", { type: "detach", droplet_id: dropletId, volume_name: "data", region: "nyc3" }, 202);
    await settle();
    await send("volumeActions_post_byId", "POST", `/v2/volumes/${volumeId}/actions`, { type: "resize", size_gigabytes: 20, region: "nyc3" }, 202);
    await settle();
    const volumeSnapshot = field(await send("volumeSnapshots_create", "POST", `/v2/volumes/${volumeId}/snapshots`, { name: "data-snap", tags: ["fidelity"] }, 201), "snapshot");
    await send("volumeSnapshots_list", "GET", `/v2/volumes/${volumeId}/snapshots`);
    await send("volumeSnapshots_get_byId", "GET", `/v2/volumes/snapshots/${String(volumeSnapshot.id)}`);
    await send("snapshots_get", "GET", `/v2/snapshots/${String(volumeSnapshot.id)}`);

    await send("tags_assign_resources", "POST", "/v2/tags/fidelity/resources", { resources: [{ resource_id: volumeId, resource_type: "volume" }, { resource_id: String(dropletId), resource_type: "droplet" }] }, 204);
    await send("tags_get", "GET", "/v2/tags/fidelity");
    await send("tags_list", "GET", "/v2/tags");
    await send("tags_unassign_resources", "DELETE", "/v2/tags/fidelity/resources", { resources: [{ resource_id: volumeId, resource_type: "volume" }] }, 204);

    await send("domains_create", "POST", "/v2/domains", { name: "example.com", ip_address: "192.0.2.10" }, 201);
    await send("domains_get", "GET", "/v2/domains/example.com");
    await send("domains_list", "GET", "/v2/domains");
    const record = field(await send("domains_create_record", "POST", "/v2/domains/example.com/records", { type: "A", name: "www", data: "192.0.2.11", ttl: 600 }, 201), "domain_record");
    await send("domains_create_record", "POST", "/v2/domains/example.com/records", { type: "MX", name: "@", data: "mail.example.com.", priority: 10 }, 201);
    await send("domains_list_records", "GET", "/v2/domains/example.com/records?type=A");
    await send("domains_get_record", "GET", `/v2/domains/example.com/records/${String(record.id)}`);
    await send("domains_patch_record", "PATCH", `/v2/domains/example.com/records/${String(record.id)}`, { type: "A", data: "192.0.2.12" });
    await send("domains_update_record", "PUT", `/v2/domains/example.com/records/${String(record.id)}`, { type: "A", name: "www", data: "192.0.2.13" });
    await send("domains_delete_record", "DELETE", `/v2/domains/example.com/records/${String(record.id)}`, undefined, 204);

    const project = field(await send("projects_create", "POST", "/v2/projects", { name: "fidelity", purpose: "Testing", description: "d", environment: "Staging" }, 201), "project");
    const projectId = String(project.id);
    await send("projects_get", "GET", `/v2/projects/${projectId}`);
    await send("projects_list", "GET", "/v2/projects");
    await send("projects_update", "PUT", `/v2/projects/${projectId}`, { name: "fidelity", description: "d2", purpose: "Testing", environment: "Production", is_default: false });
    await send("projects_patch", "PATCH", `/v2/projects/${projectId}`, { description: "d3" });
    await send("projects_assign_resources", "POST", `/v2/projects/${projectId}/resources`, { resources: [`do:droplet:${dropletId}`, "do:domain:example.com"] });
    await send("projects_list_resources", "GET", `/v2/projects/${projectId}/resources`);
    await send("projects_get_default", "GET", "/v2/projects/default");
    await send("projects_update_default", "PUT", "/v2/projects/default", { name: "first-project", description: "", purpose: "Just trying out DigitalOcean", environment: "Development", is_default: true });
    await send("projects_patch_default", "PATCH", "/v2/projects/default", { description: "the default" });
    await send("projects_assign_resources_default", "POST", "/v2/projects/default/resources", { resources: [`do:droplet:${dropletId}`, "do:domain:example.com"] });
    await send("projects_list_resources_default", "GET", "/v2/projects/default/resources");
    await send("projects_delete", "DELETE", `/v2/projects/${projectId}`, undefined, 204);

    const firewall = field(
      await send(
        "firewalls_create",
        "POST",
        "/v2/firewalls",
        {
          name: "fidelity-fw",
          droplet_ids: [dropletId],
          tags: ["fidelity"],
          inbound_rules: [{ protocol: "tcp", ports: "22", sources: { addresses: ["0.0.0.0/0"] } }],
          outbound_rules: [{ protocol: "tcp", ports: "all", destinations: { addresses: ["0.0.0.0/0", "::/0"] } }],
        },
        202,
      ),
      "firewall",
    );
    const firewallId = String(firewall.id);
    await send("firewalls_get", "GET", `/v2/firewalls/${firewallId}`);
    await send("firewalls_list", "GET", "/v2/firewalls");
    await send("droplets_list_firewalls", "GET", `/v2/droplets/${dropletId}/firewalls`);
    await send("firewalls_update", "PUT", `/v2/firewalls/${firewallId}`, {
      name: "fidelity-fw",
      inbound_rules: [{ protocol: "tcp", ports: "443", sources: { addresses: ["0.0.0.0/0"] } }],
    });
    await send("firewalls_assign_droplets", "POST", `/v2/firewalls/${firewallId}/droplets`, { droplet_ids: [dropletId] }, 204);
    await send("firewalls_delete_droplets", "DELETE", `/v2/firewalls/${firewallId}/droplets`, { droplet_ids: [dropletId] }, 204);
    await send("firewalls_add_tags", "POST", `/v2/firewalls/${firewallId}/tags`, { tags: ["fidelity"] }, 204);
    await send("firewalls_delete_tags", "DELETE", `/v2/firewalls/${firewallId}/tags`, { tags: ["fidelity"] }, 204);
    const rule = { inbound_rules: [{ protocol: "udp", ports: "53", sources: { tags: ["fidelity"] } }] };
    await send("firewalls_add_rules", "POST", `/v2/firewalls/${firewallId}/rules`, rule, 204);
    await send("firewalls_delete_rules", "DELETE", `/v2/firewalls/${firewallId}/rules`, rule, 204);

    const reserved = field(await send("reservedIPs_create", "POST", "/v2/reserved_ips", { region: "nyc3" }, 202), "reserved_ip");
    const ip = String(reserved.ip);
    await send("reservedIPs_create", "POST", "/v2/reserved_ips", { droplet_id: dropletId }, 202);
    await settle();
    await send("reservedIPs_get", "GET", `/v2/reserved_ips/${ip}`);
    const assign = field(await send("reservedIPsActions_post", "POST", `/v2/reserved_ips/${ip}/actions`, { type: "assign", droplet_id: dropletId }, 201), "action");
    await send("reservedIPsActions_get", "GET", `/v2/reserved_ips/${ip}/actions/${String(assign.id)}`);
    await settle();
    await send("reservedIPsActions_list", "GET", `/v2/reserved_ips/${ip}/actions`);
    await send("reservedIPs_list", "GET", "/v2/reserved_ips");

    await send("reservedIPs_delete", "DELETE", `/v2/reserved_ips/${ip}`, undefined, 204);
    await send("firewalls_delete", "DELETE", `/v2/firewalls/${firewallId}`, undefined, 204);
    await send("domains_delete", "DELETE", "/v2/domains/example.com", undefined, 204);
    await send("volumeSnapshots_delete_byId", "DELETE", `/v2/volumes/snapshots/${String(volumeSnapshot.id)}`, undefined, 204);
    await send("volumes_delete", "DELETE", `/v2/volumes/${volumeId}`, undefined, 204);
    await send("volumes_create", "POST", "/v2/volumes", { name: "scratch", size_gigabytes: 5, region: "nyc3" }, 201);
    await send("volumes_delete_byName", "DELETE", "/v2/volumes?name=scratch&region=nyc3", undefined, 204);
    await send("snapshots_delete", "DELETE", `/v2/snapshots/${String(dropletSnapshot.id)}`, undefined, 204);
    await send("images_delete", "DELETE", `/v2/images/${String(custom.id)}`, undefined, 204);
    await send("droplets_list_supported_backup_policies", "GET", "/v2/droplets/backups/supported_policies");
    await send("droplets_list_backup_policies", "GET", "/v2/droplets/backups/policies");
    await send("droplets_get_backup_policy", "GET", `/v2/droplets/${dropletId}/backups/policy`);
    await send("droplets_list_associatedResources", "GET", `/v2/droplets/${dropletId}/destroy_with_associated_resources`);
    const [bulk1, bulk2] = [...fake.state.droplets.values()].filter((each) => each.tags.includes("bulk"));
    await send("droplets_destroy_withAssociatedResourcesSelective", "DELETE", `/v2/droplets/${bulk1!.id}/destroy_with_associated_resources/selective`, { volumes: [] }, 202);
    await send("droplets_destroy_withAssociatedResourcesDangerous", "DELETE", `/v2/droplets/${bulk2!.id}/destroy_with_associated_resources/dangerous`, undefined, 202, { "X-Dangerous": "true" });
    await send("droplets_get_DestroyAssociatedResourcesStatus", "GET", `/v2/droplets/${bulk1!.id}/destroy_with_associated_resources/status`);
    await send("droplets_destroy_retryWithAssociatedResources", "POST", `/v2/droplets/${bulk1!.id}/destroy_with_associated_resources/retry`, undefined, 409);
    await send("droplets_create", "POST", "/v2/droplets", { name: "bulk-3", region: "nyc3", size: "s-1vcpu-1gb", image: "debian-12-x64", tags: ["bulk"] }, 202);
    await send("droplets_destroy", "DELETE", `/v2/droplets/${dropletId}`, undefined, 204);
    await send("droplets_destroy_byTag", "DELETE", "/v2/droplets?tag_name=bulk", undefined, 204);
    await send("sshKeys_delete", "DELETE", `/v2/account/keys/${String(key.id)}`, undefined, 204);
    await send("tags_delete", "DELETE", "/v2/tags/fidelity", undefined, 204);
    await send("vpcs_delete", "DELETE", `/v2/vpcs/${String(otherVpc.id)}`, undefined, 204);

    // The families that take time to build: created, read while building, read once built, deleted.
    const cluster = field(
      await send("kubernetes_create_cluster", "POST", "/v2/kubernetes/clusters", { name: "fidelity-k8s", region: "nyc3", version: "1.31.1-do.0", node_pools: [{ size: "s-1vcpu-2gb", count: 2, name: "pool" }] }, 201),
      "kubernetes_cluster",
    );
    const clusterPath = `/v2/kubernetes/clusters/${String(cluster.id)}`;
    await send("kubernetes_get_cluster", "GET", clusterPath);
    await send("kubernetes_list_clusters", "GET", "/v2/kubernetes/clusters");
    const pool = field(await send("kubernetes_add_nodePool", "POST", `${clusterPath}/node_pools`, { size: "s-1vcpu-2gb", count: 1, name: "extra" }, 201), "node_pool");
    await send("kubernetes_get_nodePool", "GET", `${clusterPath}/node_pools/${String(pool.id)}`);
    await send("kubernetes_list_nodePools", "GET", `${clusterPath}/node_pools`);
    await send("kubernetes_update_nodePool", "PUT", `${clusterPath}/node_pools/${String(pool.id)}`, { name: "extra", count: 2 }, 202);
    await send("kubernetes_update_cluster", "PUT", clusterPath, { name: "fidelity-k8s-renamed", tags: ["fidelity"] }, 202);
    await send("kubernetes_delete_nodePool", "DELETE", `${clusterPath}/node_pools/${String(pool.id)}`, undefined, 204);
    const database = field(
      await send("databases_create_cluster", "POST", "/v2/databases", { name: "fidelity-db", engine: "pg", version: "16", region: "nyc3", size: "db-s-1vcpu-1gb", num_nodes: 1 }, 201),
      "database",
    );
    const databasePath = `/v2/databases/${String(database.id)}`;
    await send("databases_get_cluster", "GET", databasePath);
    await send("databases_list_clusters", "GET", "/v2/databases");
    await send("databases_create_replica", "POST", `${databasePath}/replicas`, { name: "read-1", size: "db-s-1vcpu-1gb", region: "nyc3" }, 201);
    await send("databases_get_replica", "GET", `${databasePath}/replicas/read-1`);
    await send("databases_list_replicas", "GET", `${databasePath}/replicas`);
    await send("databases_destroy_replica", "DELETE", `${databasePath}/replicas/read-1`, undefined, 204);
    await send("databases_add_user", "POST", `${databasePath}/users`, { name: "app-01" }, 201);
    await send("databases_list_users", "GET", `${databasePath}/users`);
    await send("databases_get_user", "GET", `${databasePath}/users/app-01`);
    await send("databases_update_user", "PUT", `${databasePath}/users/app-01`, { settings: { pg_allow_replication: true } }, 201);
    await send("databases_reset_auth", "POST", `${databasePath}/users/app-01/reset_auth`, {}, 200);
    await send("databases_add", "POST", `${databasePath}/dbs`, { name: "alpha" }, 201);
    await send("databases_list", "GET", `${databasePath}/dbs`);
    await send("databases_get", "GET", `${databasePath}/dbs/alpha`);
    await send("databases_add_connectionPool", "POST", `${databasePath}/pools`, { name: "app-pool", mode: "transaction", size: 10, db: "alpha", user: "app-01" }, 201);
    await send("databases_list_connectionPools", "GET", `${databasePath}/pools`);
    await send("databases_get_connectionPool", "GET", `${databasePath}/pools/app-pool`);
    await send("databases_update_connectionPool", "PUT", `${databasePath}/pools/app-pool`, { mode: "session", size: 5, db: "alpha" }, 204);
    await send("databases_delete_connectionPool", "DELETE", `${databasePath}/pools/app-pool`, undefined, 204);
    await send("databases_delete", "DELETE", `${databasePath}/dbs/alpha`, undefined, 204);
    await send("databases_delete_user", "DELETE", `${databasePath}/users/app-01`, undefined, 204);
    await send("databases_update_firewall_rules", "PUT", `${databasePath}/firewall`, { rules: [{ type: "ip_addr", value: "192.0.2.10" }] }, 204);
    await send("databases_list_firewall_rules", "GET", `${databasePath}/firewall`);
    await send("databases_update_clusterSize", "PUT", `${databasePath}/resize`, { size: "db-s-2vcpu-4gb", num_nodes: 2 }, 202);
    const app = field(await send("apps_create", "POST", "/v2/apps", { spec: { name: "fidelity-app", region: "nyc" } }, 200, { accept: "application/json" }), "app");
    const appPath = `/v2/apps/${String(app.id)}`;
    await send("apps_get", "GET", appPath);
    await send("apps_list", "GET", "/v2/apps");
    const deployment = field(await send("apps_create_deployment", "POST", `${appPath}/deployments`, { force_build: true }, 200), "deployment");
    await send("apps_get_deployment", "GET", `${appPath}/deployments/${String(deployment.id)}`);
    await send("apps_update", "PUT", appPath, { spec: { name: "fidelity-app", region: "ams" } });
    await send("apps_list_deployments", "GET", `${appPath}/deployments`);
    await send("apps_restart", "POST", `${appPath}/restart`, {}, 200);
    // The update superseded (or outlived) the first deployment, so it can no longer be canceled: the refusal's shape is checked
    // (on real time a build lasts 0.18 s, too short to cancel one through Prism without a race).
    await send("apps_cancel_deployment", "POST", `${appPath}/deployments/${String(deployment.id)}/cancel`, undefined, 409);
    const loadBalancer = field(
      await send(
        "loadBalancers_create",
        "POST",
        "/v2/load_balancers",
        { name: "fidelity-lb", region: "nyc3", tag: "fidelity", forwarding_rules: [{ entry_protocol: "http", entry_port: 80, target_protocol: "http", target_port: 80 }] },
        202,
      ),
      "load_balancer",
    );
    await send("loadBalancers_get", "GET", `/v2/load_balancers/${String(loadBalancer.id)}`);
    await send("loadBalancers_list", "GET", "/v2/load_balancers");
    const lbPath = `/v2/load_balancers/${String(loadBalancer.id)}`;
    const httpRule = { entry_protocol: "http", entry_port: 80, target_protocol: "http", target_port: 80 };
    await send("loadBalancers_update", "PUT", lbPath, { name: "fidelity-lb-2", region: "nyc3", droplet_ids: [dropletId], forwarding_rules: [httpRule] });
    await send("loadBalancers_add_droplets", "POST", `${lbPath}/droplets`, { droplet_ids: [dropletId + 1] }, 204);
    await send("loadBalancers_remove_droplets", "DELETE", `${lbPath}/droplets`, { droplet_ids: [dropletId + 1] }, 204);
    await send("loadBalancers_add_forwardingRules", "POST", `${lbPath}/forwarding_rules`, { forwarding_rules: [{ ...httpRule, entry_port: 8080 }] }, 204);
    await send("loadBalancers_remove_forwardingRules", "DELETE", `${lbPath}/forwarding_rules`, { forwarding_rules: [{ ...httpRule, entry_port: 8080 }] }, 204);
    const certificate = field(await send("certificates_create", "POST", "/v2/certificates", { name: "fidelity-cert", type: "lets_encrypt", dns_names: ["www.example.com"] }, 201), "certificate");
    await send("certificates_get", "GET", `/v2/certificates/${String(certificate.id)}`);
    await send("certificates_list", "GET", "/v2/certificates");
    await sleep(fake.lifecycles.buildTime("kubernetesCluster") + 100);
    assert.equal(field(await send("kubernetes_get_cluster", "GET", clusterPath), "kubernetes_cluster").status && fake.state.kubernetesClusters.get(String(cluster.id))?.status.state, "running");
    await send("kubernetes_get_kubeconfig", "GET", `${clusterPath}/kubeconfig`);
    await send("apps_get", "GET", appPath);
    await send("kubernetes_delete_cluster", "DELETE", clusterPath, undefined, 204);
    await send("databases_destroy_cluster", "DELETE", databasePath, undefined, 204);
    await send("apps_delete", "DELETE", appPath);
    await send("loadBalancers_delete", "DELETE", `/v2/load_balancers/${String(loadBalancer.id)}`, undefined, 204);
    await send("certificates_delete", "DELETE", `/v2/certificates/${String(certificate.id)}`, undefined, 204);

    const covered = new Set(checked.map((each) => each.operationId));
    const missing = statefulRoutes
      .map((route) => route.operationId)
      .filter((operationId) => !covered.has(operationId) && !unvalidatable.has(operationId));
    assert.deepEqual(missing, [], "every stateful operation went through Prism");
  });

  it("answers errors in the spec's error shape", async () => {
    await send("droplets_get", "GET", "/v2/droplets/999999999", undefined, 404);
    await send("droplets_create", "POST", "/v2/droplets", { name: "x", size: "no-such-size", image: "ubuntu-24-04-x64" }, 422);
    await send("volumes_get", "GET", "/v2/volumes/00000000-0000-4000-8000-000000000000", undefined, 404);
    fake.faults.rateLimitNext(1, 3);
    await send("account_get", "GET", "/v2/account", undefined, 429);
    fake.faults.failNext(1, 500);
    await send("regions_list", "GET", "/v2/regions", undefined, 500);
  });

  it("answers a sample of the other operations from the fallback table within the spec", async function () {
    this.timeout(120_000);
    const stateful = new Set(statefulRoutes.map((route) => route.operationId));
    // The sample: every GET and DELETE (no body to invent). A path parameter gets the first of a few
    // placeholder values that Prism accepts for it (an integer id, a UUID, a name).
    const placeholders = ["1", "00000000-0000-4000-8000-000000000000", "example"];
    const sample = Object.entries(fallbackResponses).filter(
      ([operationId, answer]) => !stateful.has(operationId) && (answer.method === "GET" || answer.method === "DELETE"),
    );
    let validated = 0;
    for (const [operationId, answer] of sample) {
      for (const value of answer.path.includes("{") ? placeholders : [""]) {
        const path = answer.path.replace(/\{[^}]+\}/g, value);
        if (await sendIfValid(operationId, answer.method, path, answer.status)) {
          validated += 1;
          break;
        }
      }
    }
    // The rest need query parameters or path values the sample cannot guess.
    assert.ok(validated >= sample.length / 2, `${validated} of ${sample.length} sampled operations went through Prism`);
  });
});
