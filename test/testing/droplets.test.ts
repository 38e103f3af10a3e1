import assert from "node:assert/strict";
import { startFakeDigitalOcean, type FakeAction as Action, type FakeDroplet as Droplet, type FakeDigitalOcean, type FakeSnapshot as Snapshot } from "../../src/testing/index.js";
import { call, eventually, publicKey, type ErrorBody, type Paged } from "./helpers.js";

type DropletAnswer = { droplet: Droplet; links: { actions: { id: number; rel: string; href: string }[] } };
type ActionAnswer = { action: Action };

describe("fake DigitalOcean: droplets and actions", () => {
  let fake: FakeDigitalOcean;
  before(async () => {
    fake = await startFakeDigitalOcean({ actionDelayInMs: 30 });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const base = { size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" };

  async function createDroplet(name: string, extra: Record<string, unknown> = {}): Promise<DropletAnswer> {
    const { status, body } = await call<DropletAnswer>(fake, "POST", "/v2/droplets", { name, ...base, ...extra });
    assert.equal(status, 202);
    return body;
  }

  async function waitForAction(id: number): Promise<Action> {
    let action: Action | undefined;
    await eventually(async () => {
      action = (await call<ActionAnswer>(fake, "GET", `/v2/actions/${id}`)).body.action;
      return action.status !== "in-progress";
    });
    return action!;
  }

  async function runAction(dropletId: number, body: Record<string, unknown>): Promise<Action> {
    const { status, body: answer } = await call<ActionAnswer>(fake, "POST", `/v2/droplets/${dropletId}/actions`, body);
    assert.equal(status, 201, JSON.stringify(answer));
    assert.equal(answer.action.status, "in-progress");
    return waitForAction(answer.action.id);
  }

  /** Waits until the droplet has no action in progress. */
  async function settleDroplet(id: number): Promise<void> {
    await eventually(() => ![...fake.state.actions.values()].some((action) => action.resource_id === id && action.status === "in-progress"));
  }

  async function getDroplet(id: number): Promise<Droplet> {
    return (await call<{ droplet: Droplet }>(fake, "GET", `/v2/droplets/${id}`)).body.droplet;
  }

  it("creates a droplet (202) that boots: status new → active when its create action completes", async () => {
    const { droplet, links } = await createDroplet("web-1", { tags: ["web"], ipv6: true, backups: true });
    assert.equal(droplet.status, "new");
    assert.equal(droplet.size_slug, "s-1vcpu-1gb");
    assert.equal(droplet.region.slug, "nyc3");
    assert.equal(droplet.image.slug, "ubuntu-24-04-x64");
    assert.deepEqual(droplet.tags, ["web"]);
    assert.ok(droplet.features.includes("ipv6") && droplet.features.includes("backups"));
    assert.equal(droplet.networks.v6.length, 1);
    assert.ok(droplet.next_backup_window);
    assert.equal(links.actions[0]!.rel, "create");
    assert.equal(links.actions[0]!.href, `${fake.url}/v2/actions/${links.actions[0]!.id}`);

    const action = await waitForAction(links.actions[0]!.id);
    assert.equal(action.status, "completed");
    assert.ok(action.completed_at);
    assert.equal(action.resource_id, droplet.id);
    assert.equal((await getDroplet(droplet.id)).status, "active");
    assert.ok(fake.state.tags.has("web"), "tags named at creation exist");
  });

  it("creates several droplets from names", async () => {
    const { status, body } = await call<{ droplets: Droplet[]; links: { actions: unknown[] } }>(fake, "POST", "/v2/droplets", {
      names: ["a-1", "a-2", "a-3"],
      ...base,
    });
    assert.equal(status, 202);
    assert.deepEqual(body.droplets.map((droplet) => droplet.name), ["a-1", "a-2", "a-3"]);
    assert.equal(body.links.actions.length, 3);
    assert.equal(new Set(body.droplets.map((droplet) => droplet.networks.v4[0]!.ip_address)).size, 3);
  });

  it("refuses invalid creates with 422 unprocessable_entity", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }, /name is required/],
      [{ name: "x", image: "ubuntu-24-04-x64" }, /size is required/],
      [{ name: "x", size: "s-1vcpu-1gb" }, /image is required/],
      [{ name: 42, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }, /name must be a string/],
      [{ name: "x", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", backups: "yes" }, /backups must be a boolean/],
      [{ name: "x", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", tags: "web" }, /tags must be an array/],
      [{ name: "x", size: "huge", image: "ubuntu-24-04-x64" }, /invalid size/],
      [{ name: "x", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "mars1" }, /invalid region/],
      [{ name: "x", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc2" }, /invalid region/],
      [{ name: "x", size: "s-1vcpu-1gb", image: "windows-95" }, /invalid image/],
      [{ name: "x", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", ssh_keys: [12345] }, /invalid SSH key/],
      [{ name: "bad name!", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }, /hostname/],
      [{ names: [], size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }, /names/],
    ];
    for (const [body, message] of cases) {
      const answer = await call<ErrorBody>(fake, "POST", "/v2/droplets", body);
      assert.equal(answer.status, 422, JSON.stringify(body));
      assert.equal(answer.body.id, "unprocessable_entity");
      assert.match(answer.body.message, message);
    }
    assert.equal(fake.state.droplets.size, 0, "nothing was created");
    assert.equal(fake.state.tags.size, 0);
  });

  it("accepts SSH keys by id and fingerprint, and enforces the droplet limit", async () => {
    const key = (await call<{ ssh_key: { id: number; fingerprint: string } }>(fake, "POST", "/v2/account/keys", { name: "k", public_key: publicKey(1) })).body.ssh_key;
    await createDroplet("with-keys", { ssh_keys: [key.id, key.fingerprint] });
    fake.state.account.droplet_limit = 2;
    const refused = await call<ErrorBody>(fake, "POST", "/v2/droplets", { names: ["b-1", "b-2"], ...base });
    assert.equal(refused.status, 422);
    assert.match(refused.body.message, /droplet limit/);
  });

  it("lists with tag_name and name filters, deletes (204) and deletes by tag", async () => {
    await createDroplet("one", { tags: ["blue"] });
    await createDroplet("two", { tags: ["blue", "green"] });
    const three = (await createDroplet("three")).droplet;
    type List = Paged & { droplets: Droplet[] };
    const blue = (await call<List>(fake, "GET", "/v2/droplets?tag_name=blue")).body;
    assert.deepEqual(blue.droplets.map((droplet) => droplet.name), ["one", "two"]);
    assert.equal(blue.meta.total, 2);
    const named = (await call<List>(fake, "GET", "/v2/droplets?name=three")).body;
    assert.deepEqual(named.droplets.map((droplet) => droplet.id), [three.id]);

    const destroyed = await call(fake, "DELETE", "/v2/droplets?tag_name=blue");
    assert.deepEqual([destroyed.status, destroyed.body], [204, ""]);
    assert.deepEqual((await call<List>(fake, "GET", "/v2/droplets")).body.droplets.map((droplet) => droplet.name), ["three"]);
    assert.equal((await call<ErrorBody>(fake, "DELETE", "/v2/droplets?tag_name=no-such-tag")).status, 404);
    assert.equal((await call<ErrorBody>(fake, "DELETE", "/v2/droplets")).status, 422);

    assert.equal((await call(fake, "DELETE", `/v2/droplets/${three.id}`)).status, 204);
    assert.equal((await call(fake, "GET", `/v2/droplets/${three.id}`)).status, 404);
    assert.equal((await call(fake, "DELETE", `/v2/droplets/${three.id}`)).status, 404);
  });

  it("reports neighbors: droplets placed on the same host", async () => {
    const { body } = await call<{ droplets: Droplet[] }>(fake, "POST", "/v2/droplets", { names: ["n-1", "n-2", "n-3"], ...base });
    const [first, second, third] = body.droplets;
    const neighbors = (await call<{ droplets: Droplet[] }>(fake, "GET", `/v2/droplets/${first!.id}/neighbors`)).body.droplets;
    assert.deepEqual(neighbors.map((droplet) => droplet.id).sort(), [second!.id, third!.id].sort());
    const report = (await call<{ neighbor_ids: number[][] }>(fake, "GET", "/v2/reports/droplet_neighbors_ids")).body;
    assert.deepEqual(report.neighbor_ids, [[first!.id, second!.id, third!.id]]);
  });

  it("power actions change the droplet's status when they complete", async () => {
    const { droplet } = await createDroplet("power");
    await waitForAction((await call<{ actions: Action[] }>(fake, "GET", `/v2/droplets/${droplet.id}/actions`)).body.actions[0]!.id);
    assert.equal((await runAction(droplet.id, { type: "power_off" })).status, "completed");
    assert.equal((await getDroplet(droplet.id)).status, "off");
    await runAction(droplet.id, { type: "power_on" });
    assert.equal((await getDroplet(droplet.id)).status, "active");
    await runAction(droplet.id, { type: "shutdown" });
    assert.equal((await getDroplet(droplet.id)).status, "off");
    await runAction(droplet.id, { type: "power_cycle" });
    assert.equal((await getDroplet(droplet.id)).status, "active");
    await runAction(droplet.id, { type: "reboot" });
    assert.equal((await getDroplet(droplet.id)).status, "active");
  });

  it("refuses a second action while one is in progress", async () => {
    const slow = await startFakeDigitalOcean({ actionDelayInMs: 10_000 });
    try {
      const [droplet] = slow.seed({ droplets: [{ name: "busy", ...base }] }).droplets;
      assert.equal((await call(slow, "POST", `/v2/droplets/${droplet!.id}/actions`, { type: "reboot" })).status, 201);
      const refused = await call<ErrorBody>(slow, "POST", `/v2/droplets/${droplet!.id}/actions`, { type: "power_off" });
      assert.equal(refused.status, 422);
      assert.match(refused.body.message, /pending event/);
    } finally {
      await slow.close();
    }
  });

  it("resizes only a powered-off droplet; renames; snapshots; toggles backups and IPv6", async () => {
    const [droplet] = fake.seed({ droplets: [{ name: "change-me", ...base }] }).droplets;
    const id = droplet!.id;
    const refused = await call<ErrorBody>(fake, "POST", `/v2/droplets/${id}/actions`, { type: "resize", size: "s-2vcpu-4gb" });
    assert.equal(refused.status, 422);
    assert.match(refused.body.message, /power it off/);
    assert.equal((await call(fake, "POST", `/v2/droplets/${id}/actions`, { type: "resize", size: "nope" })).status, 422);

    await runAction(id, { type: "power_off" });
    await runAction(id, { type: "resize", size: "s-2vcpu-4gb", disk: true });
    let current = await getDroplet(id);
    assert.deepEqual([current.size_slug, current.memory, current.vcpus, current.disk], ["s-2vcpu-4gb", 4096, 2, 80]);

    await runAction(id, { type: "rename", name: "renamed" });
    assert.equal((await getDroplet(id)).name, "renamed");
    assert.equal((await call(fake, "POST", `/v2/droplets/${id}/actions`, { type: "rename" })).status, 422);

    await runAction(id, { type: "snapshot", name: "before-upgrade" });
    current = await getDroplet(id);
    assert.equal(current.snapshot_ids.length, 1);
    const snapshots = (await call<{ snapshots: Snapshot[] }>(fake, "GET", "/v2/snapshots?resource_type=droplet")).body.snapshots;
    assert.deepEqual(snapshots.map((snapshot) => [snapshot.name, snapshot.resource_id]), [["before-upgrade", String(id)]]);
    const listed = (await call<{ snapshots: { id: number }[] }>(fake, "GET", `/v2/droplets/${id}/snapshots`)).body.snapshots;
    assert.deepEqual(listed.map((snapshot) => snapshot.id), current.snapshot_ids);

    await runAction(id, { type: "enable_backups" });
    assert.ok((await getDroplet(id)).features.includes("backups"));
    await runAction(id, { type: "disable_backups" });
    assert.equal((await getDroplet(id)).next_backup_window, null);
    await runAction(id, { type: "enable_ipv6" });
    assert.equal((await getDroplet(id)).networks.v6.length, 1);

    await runAction(id, { type: "rebuild", image: "debian-12-x64" });
    assert.equal((await getDroplet(id)).image.slug, "debian-12-x64");
    assert.equal((await call(fake, "POST", `/v2/droplets/${id}/actions`, { type: "fly" })).status, 422);
  });

  it("lists and gets droplet actions; actions of a deleted droplet end errored", async () => {
    const [droplet] = fake.seed({ droplets: [{ name: "acts", ...base }] }).droplets;
    const posted = (await call<ActionAnswer>(fake, "POST", `/v2/droplets/${droplet!.id}/actions`, { type: "power_off" })).body.action;
    const got = await call<ActionAnswer>(fake, "GET", `/v2/droplets/${droplet!.id}/actions/${posted.id}`);
    assert.equal(got.body.action.id, posted.id);
    assert.equal((await call(fake, "GET", `/v2/droplets/${droplet!.id}/actions/999999`)).status, 404);
    await call(fake, "DELETE", `/v2/droplets/${droplet!.id}`);
    assert.equal((await waitForAction(posted.id)).status, "errored");
    const all = (await call<Paged & { actions: Action[] }>(fake, "GET", "/v2/actions")).body;
    assert.equal(all.meta.total, 1);
  });

  it("keeps backup policies: set at creation or by enable_backups, gone with disable_backups", async () => {
    const { droplet } = await createDroplet("backed-up", { backups: true, backup_policy: { plan: "daily", hour: 8 } });
    type PolicyAnswer = { policy: { backup_enabled: boolean; backup_policy?: { plan: string; hour: number; retention_period_days: number } } };
    const policy = (await call<PolicyAnswer>(fake, "GET", `/v2/droplets/${droplet.id}/backups/policy`)).body.policy;
    assert.deepEqual([policy.backup_enabled, policy.backup_policy?.plan, policy.backup_policy?.hour, policy.backup_policy?.retention_period_days], [true, "daily", 8, 7]);
    assert.equal((await call(fake, "POST", "/v2/droplets", { name: "bad-policy", ...base, backups: true, backup_policy: { hour: 3 } })).status, 422);
    await settleDroplet(droplet.id);
    await runAction(droplet.id, { type: "disable_backups" });
    const all = (await call<{ policies: Record<string, { backup_enabled: boolean }> }>(fake, "GET", "/v2/droplets/backups/policies")).body.policies;
    assert.equal(all[String(droplet.id)]!.backup_enabled, false);
    await runAction(droplet.id, { type: "enable_backups", backup_policy: { plan: "weekly", weekday: "TUE", hour: 20 } });
    assert.deepEqual(fake.state.backupPolicies.get(droplet.id), { plan: "weekly", weekday: "TUE", hour: 20 });
    const supported = (await call<{ supported_policies: { name: string }[] }>(fake, "GET", "/v2/droplets/backups/supported_policies")).body;
    assert.deepEqual(supported.supported_policies.map((each) => each.name), ["weekly", "daily"]);
  });

  it("destroys a droplet with chosen or all associated resources, and reports the status", async () => {
    const [droplet] = fake.seed({ droplets: [{ name: "with-stuff", ...base }] }).droplets;
    const id = droplet!.id;
    const [reservedIp] = fake.seed({ reservedIps: [{ droplet_id: id }] }).reservedIps;
    const volume = fake.seed({ volumes: [{ name: "vol", size_gigabytes: 10, region: "nyc3" }] }).volumes[0]!;
    volume.droplet_ids = [id];
    fake.state.droplets.get(id)!.volume_ids = [volume.id];
    type Associated = { reserved_ips: { id: string }[]; volumes: { id: string; cost: string }[] };
    const associated = (await call<Associated>(fake, "GET", `/v2/droplets/${id}/destroy_with_associated_resources`)).body;
    assert.deepEqual(associated.reserved_ips.map((each) => each.id), [reservedIp!.ip]);
    assert.deepEqual(associated.volumes.map((each) => [each.id, each.cost]), [[volume.id, "1.00"]]);
    assert.equal((await call(fake, "GET", `/v2/droplets/${id}/destroy_with_associated_resources/status`)).status, 404);
    assert.equal((await call(fake, "DELETE", `/v2/droplets/${id}/destroy_with_associated_resources/selective`, { volumes: ["not-mine"] })).status, 422);

    const selective = await call(fake, "DELETE", `/v2/droplets/${id}/destroy_with_associated_resources/selective`, { volumes: [volume.id] });
    assert.equal(selective.status, 202);
    assert.equal(fake.state.droplets.has(id), false);
    assert.equal(fake.state.volumes.size, 0);
    assert.equal(fake.state.reservedIps.get(reservedIp!.ip)!.droplet_id, null, "unchosen resources stay, detached");
    type Status = { droplet: { id: string }; resources: { volumes: { id: string }[] }; failures: number };
    const status = (await call<Status>(fake, "GET", `/v2/droplets/${id}/destroy_with_associated_resources/status`)).body;
    assert.deepEqual([status.droplet.id, status.resources.volumes.map((each) => each.id), status.failures], [String(id), [volume.id], 0]);
    assert.equal((await call(fake, "POST", `/v2/droplets/${id}/destroy_with_associated_resources/retry`)).status, 409);

    const [other] = fake.seed({ droplets: [{ name: "all-of-it", ...base }] }).droplets;
    fake.seed({ reservedIps: [{ droplet_id: other!.id }] });
    const refused = await call<ErrorBody>(fake, "DELETE", `/v2/droplets/${other!.id}/destroy_with_associated_resources/dangerous`);
    assert.equal(refused.status, 400);
    const dangerous = await call(fake, "DELETE", `/v2/droplets/${other!.id}/destroy_with_associated_resources/dangerous`, undefined, { headers: { "X-Dangerous": "true" } });
    assert.equal(dangerous.status, 202);
    assert.equal(fake.state.reservedIps.size, 1, "the other droplet's reserved IP went with it");
  });

  it("runs an action on every droplet of a tag", async () => {
    fake.seed({ droplets: ["t-1", "t-2", "u-1"].map((name) => ({ name, ...base, tags: [name.startsWith("t") ? "team" : "other"] })) });
    const { status, body } = await call<{ actions: Action[] }>(fake, "POST", "/v2/droplets/actions?tag_name=team", { type: "power_off" });
    assert.equal(status, 201);
    assert.equal(body.actions.length, 2);
    await Promise.all(body.actions.map((action) => waitForAction(action.id)));
    assert.deepEqual([...fake.state.droplets.values()].map((droplet) => droplet.status), ["off", "off", "active"]);
  });
});
