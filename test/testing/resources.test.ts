import assert from "node:assert/strict";
import { startFakeDigitalOcean, type FakeAction as Action, type FakeDroplet as Droplet, type FakeDigitalOcean, type FakeFirewall as Firewall, type FakeImage as Image, type FakeProject as Project, type FakeProjectResource as ProjectResource, type FakeSnapshot as Snapshot, type FakeSshKey as SshKey, type FakeVolume as Volume, type FakeVpc as Vpc } from "../../src/testing/index.js";
import { call, eventually, publicKey, type ErrorBody } from "./helpers.js";

describe("fake DigitalOcean: resource families", () => {
  let fake: FakeDigitalOcean;
  before(async () => {
    fake = await startFakeDigitalOcean({ actionDelayInMs: 20 });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  async function expectError(method: string, path: string, body: unknown, status: number, message?: RegExp): Promise<void> {
    const answer = await call<ErrorBody>(fake, method, path, body);
    assert.equal(answer.status, status, `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`);
    if (message) assert.match(answer.body.message, message);
  }

  async function settled(): Promise<void> {
    await eventually(() => [...fake.state.actions.values()].every((action) => action.status !== "in-progress"));
  }

  function seedDroplet(name: string, region = "nyc3"): Droplet {
    return fake.seed({ droplets: [{ name, region, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }] }).droplets[0]!;
  }

  it("account, regions and sizes come from the catalog", async () => {
    const account = await call<{ account: { email: string; droplet_limit: number } }>(fake, "GET", "/v2/account");
    assert.equal(account.body.account.droplet_limit, 100);
    const regions = await call<{ regions: { slug: string; available: boolean }[] }>(fake, "GET", "/v2/regions");
    assert.ok(regions.body.regions.some((region) => region.slug === "nyc3" && region.available));
    const sizes = await call<{ sizes: { slug: string }[] }>(fake, "GET", "/v2/sizes?per_page=200");
    assert.ok(sizes.body.sizes.some((size) => size.slug === "s-1vcpu-1gb"));
  });

  it("SSH keys: create (201) with a fingerprint, get by id or fingerprint, rename, delete (204), validation", async () => {
    const created = await call<{ ssh_key: SshKey }>(fake, "POST", "/v2/account/keys", { name: "laptop", public_key: publicKey(1) });
    assert.equal(created.status, 201);
    const key = created.body.ssh_key;
    assert.match(key.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    assert.equal((await call<{ ssh_key: SshKey }>(fake, "GET", `/v2/account/keys/${key.fingerprint}`)).body.ssh_key.id, key.id);
    const renamed = await call<{ ssh_key: SshKey }>(fake, "PUT", `/v2/account/keys/${key.id}`, { name: "desk" });
    assert.equal(renamed.body.ssh_key.name, "desk");
    await expectError("POST", "/v2/account/keys", { name: "again", public_key: publicKey(1) }, 422, /already in use/);
    await expectError("POST", "/v2/account/keys", { name: "bad", public_key: "not a key" }, 422, /invalid/);
    await expectError("POST", "/v2/account/keys", { public_key: publicKey(2) }, 422, /name is required/);
    assert.equal((await call(fake, "DELETE", `/v2/account/keys/${key.id}`)).status, 204);
    await expectError("GET", `/v2/account/keys/${key.id}`, undefined, 404);
  });

  it("images: a catalog, filters, custom images with actions", async () => {
    const distributions = await call<{ images: Image[] }>(fake, "GET", "/v2/images?type=distribution&per_page=50");
    assert.ok(distributions.body.images.every((image) => image.public));
    const applications = await call<{ images: Image[] }>(fake, "GET", "/v2/images?type=application");
    assert.deepEqual(applications.body.images.map((image) => image.slug), ["docker-20-04"]);
    const bySlug = await call<{ image: Image }>(fake, "GET", "/v2/images/debian-12-x64");
    assert.equal(bySlug.body.image.distribution, "Debian");

    const created = await call<{ image: Image }>(fake, "POST", "/v2/images", { name: "mine", url: "https://example.com/a.img", region: "nyc3", distribution: "Plan 9" });
    assert.equal(created.status, 202);
    assert.equal(created.body.image.distribution, "Unknown");
    const id = created.body.image.id;
    assert.deepEqual((await call<{ images: Image[] }>(fake, "GET", "/v2/images?private=true")).body.images.map((image) => image.id), [id]);
    const transfer = await call<Action>(fake, "POST", `/v2/images/${id}/actions`, { type: "transfer", region: "ams3" });
    assert.equal(transfer.status, 201);
    await settled();
    assert.deepEqual(fake.state.images.get(id)!.regions, ["nyc3", "ams3"]);
    await expectError("PUT", `/v2/images/${bySlug.body.image.id}`, { name: "mine now" }, 403);
    await expectError("POST", "/v2/images", { name: "x", url: "https://example.com/a.img", region: "atlantis" }, 422);
    assert.equal((await call(fake, "DELETE", `/v2/images/${id}`)).status, 204);
  });

  it("volumes: create, attach/detach/resize as actions that change state, snapshots, delete", async () => {
    const droplet = seedDroplet("host");
    const created = await call<{ volume: Volume }>(fake, "POST", "/v2/volumes", { name: "data", size_gigabytes: 10, region: "nyc3", tags: ["db"] });
    assert.equal(created.status, 201);
    const volume = created.body.volume;
    assert.equal(volume.region.slug, "nyc3");
    await expectError("POST", "/v2/volumes", { name: "data", size_gigabytes: 10, region: "nyc3" }, 409);
    await expectError("POST", "/v2/volumes", { name: "Bad_Name", size_gigabytes: 10, region: "nyc3" }, 422);
    await expectError("POST", "/v2/volumes", { name: "big", size_gigabytes: "10", region: "nyc3" }, 422, /integer/);
    await expectError("POST", "/v2/volumes", { name: "far", size_gigabytes: 10, region: "nowhere" }, 422, /region/);

    const attach = await call<{ action: Action }>(fake, "POST", `/v2/volumes/${volume.id}/actions`, { type: "attach", droplet_id: droplet.id });
    assert.equal(attach.status, 202);
    assert.equal(fake.state.volumes.get(volume.id)!.droplet_ids.length, 0, "attached only when the action completes");
    await settled();
    assert.deepEqual(fake.state.volumes.get(volume.id)!.droplet_ids, [droplet.id]);
    assert.deepEqual(fake.state.droplets.get(droplet.id)!.volume_ids, [volume.id]);
    await expectError("DELETE", `/v2/volumes/${volume.id}`, undefined, 409);
    const far = seedDroplet("far", "ams3");
    await expectError("POST", `/v2/volumes/${volume.id}/actions`, { type: "attach", droplet_id: far.id }, 422);

    await call(fake, "POST", "/v2/volumes/actions", { type: "detach", droplet_id: droplet.id, volume_name: "data", region: "nyc3" });
    await call(fake, "POST", `/v2/volumes/${volume.id}/actions`, { type: "resize", size_gigabytes: 50 });
    await settled();
    assert.deepEqual(fake.state.droplets.get(droplet.id)!.volume_ids, []);
    assert.equal(fake.state.volumes.get(volume.id)!.size_gigabytes, 50);
    await expectError("POST", `/v2/volumes/${volume.id}/actions`, { type: "resize", size_gigabytes: 20 }, 422);
    const actions = await call<{ actions: Action[] }>(fake, "GET", `/v2/volumes/${volume.id}/actions`);
    assert.deepEqual(actions.body.actions.map((action) => action.type), ["attach_volume", "detach_volume", "resize_volume"]);

    const snapshot = await call<{ snapshot: Snapshot }>(fake, "POST", `/v2/volumes/${volume.id}/snapshots`, { name: "nightly" });
    assert.equal(snapshot.status, 201);
    assert.equal(snapshot.body.snapshot.resource_type, "volume");
    const fromSnapshot = await call<{ volume: Volume }>(fake, "POST", "/v2/volumes", { name: "restored", size_gigabytes: 50, region: "nyc3", snapshot_id: snapshot.body.snapshot.id });
    assert.equal(fromSnapshot.status, 201);
    assert.equal((await call(fake, "DELETE", `/v2/volumes/snapshots/${snapshot.body.snapshot.id}`)).status, 204);
    assert.equal((await call(fake, "DELETE", `/v2/volumes/${volume.id}`)).status, 204);
    assert.equal((await call(fake, "DELETE", "/v2/volumes?name=restored&region=nyc3")).status, 204);
    assert.equal(fake.state.volumes.size, 0);
  });

  it("tags: create, tag and untag resources, list resources by tag, delete everywhere", async () => {
    const droplet = seedDroplet("tagged");
    assert.equal((await call(fake, "POST", "/v2/tags", { name: "env:prod" })).status, 201);
    await expectError("POST", "/v2/tags", { name: "no spaces" }, 422);
    const resources = { resources: [{ resource_id: String(droplet.id), resource_type: "droplet" }] };
    assert.equal((await call(fake, "POST", "/v2/tags/env:prod/resources", resources)).status, 204);
    type TagAnswer = { tag: { name: string; resources: { count: number; droplets: { count: number; last_tagged_uri?: string } } } };
    const tag = (await call<TagAnswer>(fake, "GET", "/v2/tags/env:prod")).body.tag;
    assert.equal(tag.resources.count, 1);
    assert.equal(tag.resources.droplets.last_tagged_uri, `${fake.url}/v2/droplets/${droplet.id}`);
    const byTag = await call<{ droplets: Droplet[] }>(fake, "GET", "/v2/droplets?tag_name=env:prod");
    assert.deepEqual(byTag.body.droplets.map((each) => each.id), [droplet.id]);
    await expectError("POST", "/v2/tags/env:prod/resources", { resources: [{ resource_id: "999", resource_type: "droplet" }] }, 422);
    await expectError("POST", "/v2/tags/missing/resources", resources, 404);
    assert.equal((await call(fake, "DELETE", "/v2/tags/env:prod/resources", resources)).status, 204);
    assert.deepEqual(fake.state.droplets.get(droplet.id)!.tags, []);
    await call(fake, "POST", "/v2/tags/env:prod/resources", resources);
    assert.equal((await call(fake, "DELETE", "/v2/tags/env:prod")).status, 204);
    assert.deepEqual(fake.state.droplets.get(droplet.id)!.tags, []);
    await expectError("GET", "/v2/tags/env:prod", undefined, 404);
  });

  it("domains and records: create with NS/SOA/A, CRUD records with per-type validation", async () => {
    const created = await call<{ domain: { name: string } }>(fake, "POST", "/v2/domains", { name: "example.com", ip_address: "192.0.2.1" });
    assert.equal(created.status, 201);
    await expectError("POST", "/v2/domains", { name: "example.com" }, 422);
    await expectError("POST", "/v2/domains", { name: "not a domain" }, 422);
    const domain = await call<{ domain: { zone_file: string; ttl: number } }>(fake, "GET", "/v2/domains/example.com");
    assert.match(domain.body.domain.zone_file, /IN A 192\.0\.2\.1/);
    type Record = { id: number; type: string; name: string; data: string; priority: number | null };
    const records = await call<{ domain_records: Record[] }>(fake, "GET", "/v2/domains/example.com/records");
    assert.deepEqual(records.body.domain_records.map((record) => record.type), ["SOA", "NS", "NS", "NS", "A"]);

    const www = await call<{ domain_record: Record }>(fake, "POST", "/v2/domains/example.com/records", { type: "A", name: "www", data: "192.0.2.2" });
    assert.equal(www.status, 201);
    await expectError("POST", "/v2/domains/example.com/records", { type: "A", name: "bad", data: "not-an-ip" }, 422);
    await expectError("POST", "/v2/domains/example.com/records", { type: "MX", name: "@", data: "mail.example.com." }, 422, /priority/);
    await expectError("POST", "/v2/domains/example.com/records", { name: "x", data: "y" }, 422, /type is required/);
    const filtered = await call<{ domain_records: Record[] }>(fake, "GET", "/v2/domains/example.com/records?name=www.example.com&type=A");
    assert.deepEqual(filtered.body.domain_records.map((record) => record.id), [www.body.domain_record.id]);
    const patched = await call<{ domain_record: Record }>(fake, "PATCH", `/v2/domains/example.com/records/${www.body.domain_record.id}`, { data: "192.0.2.3" });
    assert.deepEqual([patched.body.domain_record.name, patched.body.domain_record.data], ["www", "192.0.2.3"]);
    assert.equal((await call(fake, "DELETE", `/v2/domains/example.com/records/${www.body.domain_record.id}`)).status, 204);
    await expectError("GET", `/v2/domains/example.com/records/${www.body.domain_record.id}`, undefined, 404);
    assert.equal((await call(fake, "DELETE", "/v2/domains/example.com")).status, 204);
    await expectError("GET", "/v2/domains/example.com/records", undefined, 404);
  });

  it("projects: default project holds new resources; assign moves them; delete rules", async () => {
    const droplet = seedDroplet("in-project");
    const defaultProject = (await call<{ project: Project }>(fake, "GET", "/v2/projects/default")).body.project;
    const inDefault = await call<{ resources: ProjectResource[] }>(fake, "GET", "/v2/projects/default/resources");
    assert.deepEqual(inDefault.body.resources.map((resource) => resource.urn), [`do:droplet:${droplet.id}`]);

    const created = await call<{ project: Project }>(fake, "POST", "/v2/projects", { name: "web", purpose: "Web app", environment: "Production" });
    assert.equal(created.status, 201);
    const project = created.body.project;
    await expectError("POST", "/v2/projects", { name: "web", purpose: "again" }, 409);
    await expectError("POST", "/v2/projects", { name: "nopurpose" }, 422, /purpose is required/);
    await expectError("POST", "/v2/projects", { name: "env", purpose: "x", environment: "Moon" }, 422);
    const assigned = await call<{ resources: ProjectResource[] }>(fake, "POST", `/v2/projects/${project.id}/resources`, {
      resources: [`do:droplet:${droplet.id}`, "do:droplet:999"],
    });
    assert.deepEqual(assigned.body.resources.map((resource) => resource.status), ["assigned", "not_found"]);
    await expectError("DELETE", `/v2/projects/${project.id}`, undefined, 412);
    await expectError("DELETE", `/v2/projects/${defaultProject.id}`, undefined, 422);
    const patched = await call<{ project: Project }>(fake, "PATCH", `/v2/projects/${project.id}`, { is_default: true });
    assert.ok(patched.body.project.is_default);
    assert.equal((await call<{ project: Project }>(fake, "GET", "/v2/projects/default")).body.project.id, project.id);
    await call(fake, "PATCH", `/v2/projects/${defaultProject.id}`, { is_default: true });
    await call(fake, "POST", "/v2/projects/default/resources", { resources: [`do:droplet:${droplet.id}`] });
    assert.equal((await call(fake, "DELETE", `/v2/projects/${project.id}`)).status, 204);
  });

  it("VPCs: default VPC per region, create, update, members, delete rules", async () => {
    const droplet = seedDroplet("member");
    const vpcs = (await call<{ vpcs: Vpc[] }>(fake, "GET", "/v2/vpcs")).body.vpcs;
    assert.deepEqual(vpcs.map((vpc) => [vpc.region, vpc.default, vpc.id === droplet.vpc_uuid]), [["nyc3", true, true]]);
    const members = await call<{ members: { urn: string }[] }>(fake, "GET", `/v2/vpcs/${droplet.vpc_uuid}/members`);
    assert.deepEqual(members.body.members.map((member) => member.urn), [`do:droplet:${droplet.id}`]);
    await expectError("DELETE", `/v2/vpcs/${droplet.vpc_uuid}`, undefined, 403);

    const created = await call<{ vpc: Vpc }>(fake, "POST", "/v2/vpcs", { name: "private-net", region: "nyc3", ip_range: "10.30.0.0/24" });
    assert.equal(created.status, 201);
    assert.equal(created.body.vpc.default, false);
    await expectError("POST", "/v2/vpcs", { name: "bad name", region: "nyc3" }, 422);
    await expectError("POST", "/v2/vpcs", { name: "x", region: "nyc3", ip_range: "192.168.0.0/16" }, 422);
    const updated = await call<{ vpc: Vpc }>(fake, "PUT", `/v2/vpcs/${created.body.vpc.id}`, { name: "renamed-net", description: "d" });
    assert.equal(updated.body.vpc.name, "renamed-net");
    const inVpc = await call<{ droplet: Droplet }>(fake, "POST", "/v2/droplets", {
      name: "inside", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", vpc_uuid: created.body.vpc.id,
    });
    assert.match(inVpc.body.droplet.networks.v4.find((network) => network.type === "private")!.ip_address, /^10\.30\.0\./);
    await expectError("POST", "/v2/droplets", { name: "x", region: "ams3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", vpc_uuid: created.body.vpc.id }, 422, /VPC/);
    await call(fake, "DELETE", `/v2/droplets/${inVpc.body.droplet.id}`);
    assert.equal((await call(fake, "DELETE", `/v2/vpcs/${created.body.vpc.id}`)).status, 204);
  });

  it("firewalls: rules, droplets and tags; listed per droplet", async () => {
    const droplet = seedDroplet("guarded");
    const body = {
      name: "web-fw",
      inbound_rules: [{ protocol: "tcp", ports: "443", sources: { addresses: ["0.0.0.0/0"] } }],
      outbound_rules: [{ protocol: "icmp", destinations: { addresses: ["0.0.0.0/0"] } }],
    };
    const created = await call<{ firewall: Firewall }>(fake, "POST", "/v2/firewalls", body);
    assert.equal(created.status, 202);
    const id = created.body.firewall.id;
    await expectError("POST", "/v2/firewalls", { ...body, name: "-bad" }, 422);
    await expectError("POST", "/v2/firewalls", { name: "fw", inbound_rules: [{ protocol: "tcp", ports: "x", sources: {} }] }, 422);
    await expectError("POST", "/v2/firewalls", { name: "fw", droplet_ids: [999] }, 422);

    assert.equal((await call(fake, "POST", `/v2/firewalls/${id}/droplets`, { droplet_ids: [droplet.id] })).status, 204);
    const listed = await call<{ firewalls: Firewall[] }>(fake, "GET", `/v2/droplets/${droplet.id}/firewalls`);
    assert.deepEqual(listed.body.firewalls.map((firewall) => firewall.id), [id]);
    const rule = { inbound_rules: [{ protocol: "tcp", ports: "22", sources: { tags: ["admins"] } }] };
    await call(fake, "POST", `/v2/firewalls/${id}/rules`, rule);
    assert.equal(fake.state.firewalls.get(id)!.inbound_rules.length, 2);
    await call(fake, "DELETE", `/v2/firewalls/${id}/rules`, rule);
    assert.equal(fake.state.firewalls.get(id)!.inbound_rules.length, 1);
    await expectError("POST", `/v2/firewalls/${id}/tags`, { tags: ["unknown-tag"] }, 422);
    await call(fake, "POST", `/v2/firewalls/${id}/tags`, { tags: ["admins"] });
    assert.deepEqual(fake.state.firewalls.get(id)!.tags, ["admins"]);
    await call(fake, "DELETE", `/v2/firewalls/${id}/droplets`, { droplet_ids: [droplet.id] });
    assert.deepEqual(fake.state.firewalls.get(id)!.droplet_ids, []);
    assert.equal((await call(fake, "DELETE", `/v2/firewalls/${id}`)).status, 204);
    await expectError("GET", `/v2/firewalls/${id}`, undefined, 404);
  });

  it("reserved IPs: reserve, assign and unassign through actions, limits", async () => {
    const droplet = seedDroplet("ip-holder");
    type ReservedIpAnswer = { reserved_ip: { ip: string; droplet: Droplet | null; region: { slug: string } } };
    const created = await call<ReservedIpAnswer>(fake, "POST", "/v2/reserved_ips", { region: "nyc3" });
    assert.equal(created.status, 202);
    const ip = created.body.reserved_ip.ip;
    assert.equal(created.body.reserved_ip.droplet, null);
    const assign = await call<{ action: Action }>(fake, "POST", `/v2/reserved_ips/${ip}/actions`, { type: "assign", droplet_id: droplet.id });
    assert.equal(assign.status, 201);
    await settled();
    assert.equal((await call<ReservedIpAnswer>(fake, "GET", `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet?.id, droplet.id);
    await call(fake, "POST", `/v2/reserved_ips/${ip}/actions`, { type: "unassign" });
    await settled();
    assert.equal((await call<ReservedIpAnswer>(fake, "GET", `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet, null);
    await expectError("POST", `/v2/reserved_ips/${ip}/actions`, { type: "unassign" }, 422);
    await expectError("POST", `/v2/reserved_ips/${ip}/actions`, { type: "assign" }, 422, /droplet_id is required/);
    await expectError("POST", "/v2/reserved_ips", { region: "mars1" }, 422);

    const forDroplet = await call<ReservedIpAnswer & { links: { actions: { id: number }[] } }>(fake, "POST", "/v2/reserved_ips", { droplet_id: droplet.id });
    assert.equal(forDroplet.body.links.actions.length, 1);
    await settled();
    assert.equal(fake.state.reservedIps.get(forDroplet.body.reserved_ip.ip)!.droplet_id, droplet.id);
    await call(fake, "DELETE", `/v2/droplets/${droplet.id}`);
    assert.equal(fake.state.reservedIps.get(forDroplet.body.reserved_ip.ip)!.droplet_id, null, "destroying the droplet frees the IP");

    fake.state.account.floating_ip_limit = 2;
    await expectError("POST", "/v2/reserved_ips", { region: "nyc3" }, 422, /limit/);
    assert.equal((await call(fake, "DELETE", `/v2/reserved_ips/${ip}`)).status, 204);
    await expectError("GET", `/v2/reserved_ips/${ip}`, undefined, 404);
  });
});
