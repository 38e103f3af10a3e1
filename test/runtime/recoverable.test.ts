import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AbortError, ConnectionError, DigitalOceanClient, InternalServerError, UnprocessableEntityError } from "../../src/index.js";
import { operationGroups } from "../../src/operations/tables.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

const base = { size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" };
const fast = { lookupDelayInMs: 1 };

describe("recoverable creates", () => {
  let fake: FakeDigitalOcean;
  before(async () => {
    fake = await startFakeDigitalOcean();
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const client = (options = {}) => createTestClient(fake, { timeoutInMs: 300, retryOptions: { retryDelayInMs: 1 }, ...options });
  const dropletsNamed = (name: string) => [...fake.state.droplets.values()].filter((d) => d.name === name);

  it("the generator marks every create that takes tags and can be found again, with how", () => {
    const marked = Object.values(operationGroups).flatMap((table) => Object.values(table).filter((spec) => "recover" in spec).map((spec) => spec.id));
    for (const id of ["droplets_create", "volumes_create", "kubernetes_create_cluster", "databases_create_cluster", "images_create_custom"]) {
      assert.ok(marked.includes(id), id);
    }
    // Firewall tags must exist already (they target droplets), so a fresh marker is no use there.
    assert.ok(!marked.includes("firewalls_create"));
    const droplets = operationGroups.droplets.create?.recover;
    assert.ok(droplets, "droplets.create has a recover entry");
    assert.deepEqual([droplets.byTag, droplets.names, droplets.items], ["tag_name", "names", "droplets"], "looked up by tag, multi-create");
  });

  it("without the option, a create answered 503 after it ran fails and is not sent again", async () => {
    fake.faults.failAfter(1, 503, { operationId: "droplets_create" });
    await assert.rejects(client().droplets.create({ ...base, name: "plain" }), InternalServerError);
    assert.equal(fake.executionCount("droplets_create"), 1);
    assert.equal(dropletsNamed("plain").length, 1);
  });

  for (const [fault, arm] of [
    ["503 after processing", (f: FakeDigitalOcean) => f.faults.failAfter(1, 503, { operationId: "droplets_create" })],
    ["reset after processing", (f: FakeDigitalOcean) => f.faults.resetConnection("after", { operationId: "droplets_create" })],
    ["timeout after processing", (f: FakeDigitalOcean) => f.faults.hangAfter({ operationId: "droplets_create" })],
  ] as const) {
    it(`${fault}: finds the droplet by its marker and returns it as the create would`, async () => {
      arm(fake);
      const answer = await client().droplets.create({ ...base, name: "web-1", tags: ["web"] }, { recoverable: fast });
      assert.ok("droplet" in answer);
      assert.equal(answer.droplet.name, "web-1");
      assert.deepEqual(answer.links, {}, "a recovered answer has no action links");
      assert.equal(answer.droplet.tags.length, 2);
      assert.equal(answer.droplet.tags[0], "web");
      assert.match(answer.droplet.tags[1]!, /^tsdo-create-[0-9a-f]{20}$/);
      assert.equal(fake.executionCount("droplets_create"), 1, "not sent again");
      assert.equal(dropletsNamed("web-1").length, 1);
    });
  }

  it("a create that did not run (503 before processing) is sent again with the same marker", async () => {
    fake.faults.failNext(2, 503, { operationId: "droplets_create" });
    const answer = await client().droplets.create({ ...base, name: "again" }, { recoverable: { ...fast, marker: "my-marker" } });
    assert.ok("droplet" in answer);
    assert.deepEqual(answer.droplet.tags, ["my-marker"]);
    assert.ok(Array.isArray(answer.links.actions), "the successful attempt's own answer, links included");
    assert.equal(fake.executionCount("droplets_create"), 1);
    assert.equal(fake.executionCount("droplets_list"), 2 * 3, "three lookups after each failure");
  });

  it("gives up after maxAttempts with the last failure", async () => {
    fake.faults.failNext(5, 503, { operationId: "droplets_create" });
    await assert.rejects(client().droplets.create({ ...base, name: "never" }, { recoverable: { ...fast, maxAttempts: 2, lookups: 1 } }), InternalServerError);
    assert.equal(fake.executionCount("droplets_create"), 0);
    assert.equal(fake.executionCount("droplets_list"), 2);
  });

  it("rethrows failures that are not ambiguous, without looking up", async () => {
    await assert.rejects(client().droplets.create({ ...base, name: "x", size: "no-such-size" }, { recoverable: true }), UnprocessableEntityError);
    assert.equal(fake.executionCount("droplets_list"), 0);
  });

  it("the client option makes creates recoverable by default; a call can opt out", async () => {
    const recovering = client({ recoverableCreates: fast });
    fake.faults.failAfter(1, 503, { operationId: "droplets_create" });
    const answer = await recovering.droplets.create({ ...base, name: "by-client" });
    assert.ok("droplet" in answer && answer.droplet.name === "by-client");
    fake.faults.failAfter(1, 503, { operationId: "droplets_create" });
    await assert.rejects(recovering.droplets.create({ ...base, name: "opted-out" }, { recoverable: false }), InternalServerError);
  });

  it("removeMarker deletes the marker tag and leaves it out of the result", async () => {
    fake.faults.resetConnection("after", { operationId: "droplets_create" });
    const answer = await client().droplets.create({ ...base, name: "clean", tags: ["web"] }, { recoverable: { ...fast, removeMarker: true } });
    assert.ok("droplet" in answer);
    assert.deepEqual(answer.droplet.tags, ["web"]);
    assert.deepEqual(dropletsNamed("clean")[0]!.tags, ["web"]);
    assert.deepEqual([...fake.state.tags.keys()], ["web"]);
  });

  it("multi-create: finds which names exist and creates only the missing ones", async () => {
    const names = ["m-1", "m-2", "m-3"];
    // The first create runs and answers 503; before the client sees that answer, one droplet is
    // hidden, as if it never came to be (a policy on the client's side of the wire does it, so no
    // lookup can race ahead of it).
    fake.faults.failAfter(1, 503, { operationId: "droplets_create" });
    let hidden = false;
    const hideOne: PipelinePolicy = {
      name: "hide-m-2",
      async sendRequest(request, next) {
        const response = await next(request);
        if (!hidden && request.method === "POST") {
          fake.state.droplets.delete(dropletsNamed("m-2")[0]!.id);
          hidden = true;
        }
        return response;
      },
    };
    const recovering = client({ additionalPolicies: [{ policy: hideOne, position: "perCall" }] });
    const answer = await recovering.droplets.create({ ...base, names }, { recoverable: { lookupDelayInMs: 25, lookups: 2 } });
    assert.ok(hidden);
    assert.ok("droplets" in answer);
    assert.deepEqual(answer.droplets.map((d) => d.name), names, "in the order asked for");
    assert.equal(fake.executionCount("droplets_create"), 2);
    for (const name of names) assert.equal(dropletsNamed(name).length, 1, name);
  });

  it("rejects bad settings and the option on operations that are not recoverable", async () => {
    const c = client();
    await assert.rejects(c.droplets.get(1, { recoverable: true } as never), /applies only to creates that take tags/);
    await assert.rejects(c.droplets.create({ ...base, names: ["a", "a"] }, { recoverable: true }), /distinct "names"/);
    await assert.rejects(c.droplets.create({ ...base, name: "a" }, { recoverable: { marker: "no spaces" } }), /must be a tag name/);
    await assert.rejects(c.droplets.create({ ...base, name: "a" }, { recoverable: { lookups: 0 } }), RangeError);
  });

  it("rejects bodies it cannot mark", async () => {
    const c = client();
    await assert.rejects(c.droplets.create(undefined as never, { recoverable: true }), /needs its request body/);
    await assert.rejects(c.droplets.create({ ...base, name: "a", tags: "web" } as never, { recoverable: true }), /"tags" must be an array/);
    await assert.rejects(c.droplets.create({ ...base, names: "a" } as never, { recoverable: true }), /non-empty array of names/);
  });

  it("a list without a tag filter is read page by page and filtered by the marker (volumes)", async () => {
    const volume = { size_gigabytes: 10, name: "vol", region: "nyc3" as const };
    await client().volumes.create({ ...volume, name: "other" });
    fake.faults.resetConnection("after", { operationId: "volumes_create" });
    const answer = await client().volumes.create(volume, { recoverable: fast });
    assert.equal(answer.volume?.name, "vol");
    assert.equal(fake.executionCount("volumes_create"), 2);
  });

  it("multi-create answered at once: the answer as is, minus the marker with removeMarker", async () => {
    const answer = await client().droplets.create({ ...base, names: ["x-1", "x-2"], tags: ["web"] }, { recoverable: { removeMarker: true } });
    assert.ok("droplets" in answer);
    assert.deepEqual(answer.droplets.map((d) => d.tags), [["web"], ["web"]]);
    assert.equal(answer.links.actions?.length, 2);
  });

  describe("against a raw server", () => {
    let server: Server | undefined;
    afterEach(() => server && close(server));
    const rawClient = () => new DigitalOceanClient("t", { endpoint: urlOf(server!), allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });

    it("a refused connection (never sent) is thrown as is, without lookups", async () => {
      server = await listen(() => {});
      const port = (server.address() as AddressInfo).port;
      await close(server);
      server = undefined;
      const c = new DigitalOceanClient("t", { endpoint: `http://127.0.0.1:${port}`, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
      await assert.rejects(c.droplets.create({ ...base, name: "a" }, { recoverable: fast }), ConnectionError);
    });

    it("the caller's abort during the create is thrown as is, without lookups", async () => {
      const methods: string[] = [];
      server = await listen((request) => methods.push(request.method ?? ""));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(rawClient().droplets.create({ ...base, name: "a" }, { recoverable: fast, abortSignal: controller.signal }), AbortError);
      assert.deepEqual(methods, ["POST"]);
    });

    it("when the lookups themselves fail, the create's failure is thrown and the create is not sent again", async () => {
      let creates = 0;
      server = await listen((request, response) => {
        if (request.method === "POST") creates++;
        json(response, 500, { id: "server_error", message: request.method === "POST" ? "create failed" : "list failed" });
      });
      await assert.rejects(rawClient().droplets.create({ ...base, name: "a" }, { recoverable: fast }), /create failed/);
      assert.equal(creates, 1);
    });

    it("an unpaged list is searched by its items (database clusters), and a marker that cannot be removed only logs", async () => {
      const seen: string[] = [];
      server = await listen((request, response) => {
        const url = new URL(request.url ?? "/", "http://x");
        seen.push(`${request.method} ${url.pathname}`);
        if (request.method === "POST") return json(response, 503, { id: "unavailable", message: "later" });
        if (request.method === "DELETE") return json(response, 404, { id: "not_found", message: "no such tag" });
        json(response, 200, { databases: [{ id: "db-1", name: "pg", tags: [url.searchParams.get("tag_name")] }] });
      });
      const answer = await rawClient().databases.createCluster({ name: "pg", engine: "pg", num_nodes: 1, size: "s", region: "nyc3" } as never, {
        recoverable: { ...fast, removeMarker: true },
      });
      assert.deepEqual(answer, { database: { id: "db-1", name: "pg", tags: [] } });
      assert.deepEqual(seen.map((s) => s.replace(/tsdo-create-\w+/, "<marker>")), ["POST /v2/databases", "GET /v2/databases", "DELETE /v2/tags/<marker>"]);
    });
  });

  it("lookups wait out eventual consistency, and the waits are abortable", async () => {
    // A raw server: the create always answers 500, the list shows the droplet from the third lookup on.
    let lists = 0;
    let creates = 0;
    const server = await listen((request, response) => {
      const url = new URL(request.url ?? "/", "http://x");
      if (request.method === "POST") {
        creates++;
        return json(response, 500, { id: "server_error", message: "oops" });
      }
      lists++;
      const tag = url.searchParams.get("tag_name");
      const droplets = lists >= 3 ? [{ id: 7, name: "late", tags: [tag] }] : [];
      json(response, 200, { droplets, links: {}, meta: { total: droplets.length } });
    });
    const c = new DigitalOceanClient("t", { endpoint: urlOf(server), allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    try {
      const answer = await c.droplets.create({ ...base, name: "late" }, { recoverable: { lookups: 3, lookupDelayInMs: 5 } });
      assert.ok("droplet" in answer && answer.droplet.id === 7);
      assert.deepEqual([creates, lists], [1, 3]);

      const controller = new AbortController();
      lists = -100;
      const started = Date.now();
      const aborted = c.droplets.create({ ...base, name: "late" }, { recoverable: { lookups: 3, lookupDelayInMs: 60_000 }, abortSignal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(aborted, AbortError);
      assert.ok(Date.now() - started < 1000);
    } finally {
      await close(server);
    }
  });
});

function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => handler(request, response));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
