import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startFakeDigitalOcean, type FakeDigitalOcean, type FakeSshKey as SshKey } from "../../src/testing/index.js";
import { call, publicKey, type ErrorBody, type Paged } from "./helpers.js";

describe("fake DigitalOcean: HTTP behaviour", () => {
  let fake: FakeDigitalOcean;
  before(async () => {
    fake = await startFakeDigitalOcean();
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  it("listens on 127.0.0.1 with a random port and a fresh token", async () => {
    assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(fake.token, /^dop_v1_[0-9a-f]{64}$/);
    const other = await startFakeDigitalOcean();
    try {
      assert.notEqual(other.token, fake.token);
      assert.notEqual(other.url, fake.url);
    } finally {
      await other.close();
    }
  });

  it("requires the bearer token: 401 unauthorized in DigitalOcean's error shape", async () => {
    for (const token of [null, "wrong"]) {
      const { status, headers, body } = await call<ErrorBody>(fake, "GET", "/v2/account", undefined, { token });
      assert.equal(status, 401);
      assert.equal(body.id, "unauthorized");
      assert.equal(typeof body.message, "string");
      assert.equal(body.request_id, headers.get("x-request-id"));
      assert.match(body.request_id, /^[0-9a-f-]{36}$/);
    }
    assert.equal((await call(fake, "GET", "/v2/account")).status, 200);
  });

  it("sends x-request-id on every answer and 404 not_found for unknown paths and ids", async () => {
    const ok = await call(fake, "GET", "/v2/account");
    assert.match(ok.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    const unknownPath = await call<ErrorBody>(fake, "GET", "/v2/no_such_thing");
    assert.equal(unknownPath.status, 404);
    assert.equal(unknownPath.body.id, "not_found");
    const unknownId = await call<ErrorBody>(fake, "GET", "/v2/droplets/999999999");
    assert.deepEqual([unknownId.status, unknownId.body.id], [404, "not_found"]);
    const notAnId = await call<ErrorBody>(fake, "GET", "/v2/droplets/abc");
    assert.equal(notAnId.status, 404);
  });

  it("answers 400 bad_request to a body that is not JSON", async () => {
    const { status, body } = await call<ErrorBody>(fake, "POST", "/v2/account/keys", "{not json");
    assert.equal(status, 400);
    assert.equal(body.id, "bad_request");
  });

  it("counts the rate limit down in ratelimit-* headers", async () => {
    const first = await call(fake, "GET", "/v2/account");
    const second = await call(fake, "GET", "/v2/account");
    // The headers describe the hourly window, as DigitalOcean's do.
    assert.equal(first.headers.get("ratelimit-limit"), "5000");
    assert.equal(Number(first.headers.get("ratelimit-remaining")), 4999);
    assert.equal(Number(second.headers.get("ratelimit-remaining")), 4998);
    const reset = Number(second.headers.get("ratelimit-reset"));
    assert.ok(reset * 1000 > Date.now() + 3_590_000 && reset * 1000 <= Date.now() + 3_601_000, "reset is an hour after the first request");
  });

  it("answers 429 too_many_requests with retry-after past the burst limit", async () => {
    const limited = await startFakeDigitalOcean({ rateLimit: { windows: [{ name: "minute", limit: 3, windowInMs: 60_000 }] } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await call(limited, "GET", "/v2/account")).status, 200);
      const refused = await call<ErrorBody>(limited, "GET", "/v2/account");
      assert.equal(refused.status, 429);
      assert.equal(refused.body.id, "too_many_requests");
      assert.equal(refused.headers.get("ratelimit-remaining"), "0");
      const retryAfter = Number(refused.headers.get("retry-after"));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    } finally {
      await limited.close();
    }
  });

  it("frees rate-limit slots as the window slides", async () => {
    // A window long enough for three requests to land in it on a loaded machine.
    const limited = await startFakeDigitalOcean({ rateLimit: { windows: [{ name: "second", limit: 2, windowInMs: 1000 }] } });
    try {
      await call(limited, "GET", "/v2/account");
      await call(limited, "GET", "/v2/account");
      assert.equal((await call(limited, "GET", "/v2/account")).status, 429);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await call(limited, "GET", "/v2/account")).status, 200);
    } finally {
      await limited.close();
    }
  });

  it("pages lists with links.pages built from the request URL and meta.total", async () => {
    fake.seed({ sshKeys: Array.from({ length: 25 }, (_, i) => ({ name: `key-${i}`, public_key: publicKey(i) })) });
    type Keys = Paged & { ssh_keys: SshKey[] };
    const first = await call<Keys>(fake, "GET", "/v2/account/keys?per_page=10");
    assert.equal(first.body.ssh_keys.length, 10);
    assert.equal(first.body.meta.total, 25);
    assert.deepEqual(first.body.links.pages, {
      next: `${fake.url}/v2/account/keys?per_page=10&page=2`,
      last: `${fake.url}/v2/account/keys?per_page=10&page=3`,
    });
    const middle = await call<Keys>(fake, "GET", "/v2/account/keys?per_page=10&page=2");
    assert.deepEqual(Object.keys(middle.body.links.pages ?? {}).sort(), ["first", "last", "next", "prev"]);
    assert.equal(middle.body.ssh_keys[0]!.name, "key-10");
    const last = await call<Keys>(fake, "GET", middle.body.links.pages!.last!.slice(fake.url.length));
    assert.equal(last.body.ssh_keys.length, 5);
    assert.deepEqual(Object.keys(last.body.links.pages ?? {}).sort(), ["first", "prev"]);
    const past = await call<Keys>(fake, "GET", "/v2/account/keys?per_page=10&page=9");
    assert.deepEqual([past.status, past.body.ssh_keys.length, past.body.meta.total], [200, 0, 25]);
    const single = await call<Keys>(fake, "GET", "/v2/account/keys");
    assert.equal(single.body.ssh_keys.length, 20);
    const all = await call<Keys>(fake, "GET", "/v2/account/keys?per_page=100");
    assert.deepEqual(all.body.links, {});
  });

  it("caps per_page at 200", async () => {
    fake.seed({ sshKeys: Array.from({ length: 205 }, (_, i) => ({ name: `key-${i}`, public_key: publicKey(i) })) });
    const { body } = await call<Paged & { ssh_keys: SshKey[] }>(fake, "GET", "/v2/account/keys?per_page=500");
    assert.equal(body.ssh_keys.length, 200);
    assert.match(body.links.pages?.next ?? "", /per_page=200/);
  });

  it("runs many fakes at once, each with its own state", async () => {
    const fakes = await Promise.all([1, 2, 3].map(() => startFakeDigitalOcean()));
    try {
      await Promise.all(fakes.map((each, i) => call(each, "POST", "/v2/tags", { name: `only-in-${i}` })));
      for (const [i, each] of fakes.entries()) {
        const { body } = await call<{ tags: { name: string }[] }>(each, "GET", "/v2/tags");
        assert.deepEqual(body.tags.map((tag) => tag.name), [`only-in-${i}`]);
      }
      assert.equal((await call(fakes[0]!, "GET", "/v2/account", undefined, { token: fakes[1]!.token })).status, 401);
    } finally {
      await Promise.all(fakes.map((each) => each.close()));
    }
  });

  it("reset() forgets everything but the seed option; seed() adds plain objects", async () => {
    const seeded = await startFakeDigitalOcean({
      seed: { droplets: [{ name: "seeded", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3", tags: ["base"] }] },
    });
    try {
      const [extra] = seeded.seed({ droplets: [{ name: "extra", size: "s-1vcpu-2gb", image: "debian-12-x64", status: "off" }] }).droplets;
      assert.equal(extra!.status, "off");
      assert.equal(seeded.state.droplets.size, 2);
      await call(seeded, "POST", "/v2/tags", { name: "later" });
      seeded.reset();
      assert.deepEqual([...seeded.state.droplets.values()].map((droplet) => droplet.name), ["seeded"]);
      assert.deepEqual([...seeded.state.tags.keys()], ["base"]);
      assert.throws(() => seeded.seed({ droplets: [{ name: "bad", size: "no-such-size", image: "ubuntu-24-04-x64" }] }), /invalid size/);
      // A seed is all or nothing: the valid volume before the invalid droplet is not kept.
      assert.throws(
        () => seeded.seed({ volumes: [{ name: "vol", size_gigabytes: 10, region: "nyc3" }], droplets: [{ name: "bad", size: "no-such-size", image: "ubuntu-24-04-x64" }] }),
        /invalid size/,
      );
      assert.equal(seeded.state.volumes.size, 0);
      assert.deepEqual([...seeded.state.droplets.values()].map((droplet) => droplet.name), ["seeded"]);
    } finally {
      await seeded.close();
    }
  });

  it("close() leaves nothing that keeps the process alive", () => {
    // A child process starts a fake, uses it (an action pending, a keep-alive connection open) and
    // closes it; it must exit by itself.
    const script = `
      const { startFakeDigitalOcean } = require(${JSON.stringify(require.resolve("../../src/testing/index.js"))});
      (async () => {
        const fake = await startFakeDigitalOcean({ actionDelayInMs: 60000 });
        fake.faults.latency(5, {});
        const headers = { authorization: "Bearer " + fake.token, "content-type": "application/json" };
        await fetch(fake.url + "/v2/droplets", { method: "POST", headers, body: JSON.stringify({ name: "a", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }) });
        fake.faults.stallBody({});
        fetch(fake.url + "/v2/account", { headers }).then((r) => r.text()).catch(() => {});
        await new Promise((r) => setTimeout(r, 100));
        await fake.close();
      })();
    `;
    const result = spawnSync(process.execPath, ["-e", script], { timeout: 8000, encoding: "utf8" });
    assert.equal(result.error, undefined, "the child exited before the timeout");
    assert.equal(result.status, 0, result.stderr);
  });
});
