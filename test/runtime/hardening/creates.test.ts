import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DigitalOceanClient, InternalServerError } from "../../../src/index.js";
import { captureLogs, startServer, type TestServer } from "../policies/support.js";

const base = { size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" };
const fast = { lookupDelayInMs: 1 };

type Answer = [status: number, body: string, contentType?: string];

/**
 * A loopback DigitalOcean whose creates always answer 500 (an ambiguous failure: the create may
 * have run) and whose lists answer `list(marker, path)`. Counts the POSTs.
 */
async function apiServer(list: (marker: string, path: string, page: string) => Answer): Promise<TestServer & { posts: number; markers: string[] }> {
  const state = { posts: 0, markers: [] as string[] };
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (req.method === "POST") {
        state.posts++;
        const tags = (JSON.parse(body) as { tags?: string[] }).tags ?? [];
        state.markers.push(tags.at(-1) ?? "");
        res.writeHead(500, { "content-type": "application/json" }).end('{"id":"server_error","message":"create failed"}');
        return;
      }
      const [status, text, contentType = "application/json"] = list(state.markers.at(-1) ?? "", url.pathname, url.searchParams.get("page") ?? "1");
      res.writeHead(status, { "content-type": contentType }).end(text);
    });
  });
  // The counters stay live: the server's fields are copied onto them, not the other way round.
  return Object.assign(state, server);
}

const clientOf = (server: TestServer) => new DigitalOceanClient("t", { endpoint: server.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });

describe("hardening: recoverable creates", () => {
  let server: (TestServer & { posts: number }) | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // Answers 200 to a lookup that are not the list: the lookup failed, it did not find "nothing".
  const unreadable: ReadonlyArray<readonly [string, (marker: string) => Answer]> = [
    ["a proxy's HTML page", () => [200, "<html><body>Please log in</body></html>", "text/html"]],
    ["a proxy's JSON page", () => [200, '{"error":"upstream unavailable","status":"ok"}']],
    ["the list key holding an object", () => [200, '{"droplets":{},"links":{},"meta":{"total":0}}']],
    ["the list key holding a string", () => [200, '{"droplets":"none"}']],
    ["null", () => [200, "null"]],
    ["a bare array", () => [200, "[]"]],
    ["items without tags", () => [200, JSON.stringify({ droplets: [{ id: 1, name: "web-1" }], links: {}, meta: { total: 1 } })]],
    ["items that are not objects", () => [200, JSON.stringify({ droplets: [1, "x", null], links: {}, meta: { total: 3 } })]],
  ];

  for (const [what, answer] of unreadable) {
    it(`a lookup answered 200 with ${what} is a failed lookup: the create is not sent again, the call rejects with its failure`, async () => {
      server = await apiServer(answer);
      const error = await clientOf(server)
        .droplets.create({ ...base, name: "web-1" }, { recoverable: fast })
        .then(
          () => assert.fail("resolved"),
          (e: unknown) => e as Error,
        );
      assert.ok(error instanceof InternalServerError, `${error.name}: ${error.message}`);
      assert.match(error.message, /create failed/);
      assert.equal(server.posts, 1, "POSTs sent");
    });
  }

  for (const [what, tags] of [["no tags", []], ["another tag only", ["web"]], ["tags: null", null]] as const) {
    it(`a marker-filtered lookup answered with an item that has ${what} is a failed lookup (the filter was not applied): not sent again`, async () => {
      server = await apiServer(() => [200, JSON.stringify({ droplets: [{ id: 9, name: "web-1", tags }], links: {}, meta: { total: 1 } })]);
      await assert.rejects(clientOf(server).droplets.create({ ...base, name: "web-1" }, { recoverable: fast }), InternalServerError);
      assert.equal(server.posts, 1, "POSTs sent");
    });
  }

  it("multi-create: a resend answered 2xx without some of its droplets looks those up; the answer never has holes", async () => {
    let posts = 0;
    let marker = "";
    const created: Array<{ id: number; name: string; tags: string[] }> = [];
    server = Object.assign(
      { posts: 0, markers: [] as string[] },
      await startServer((req: IncomingMessage, res: ServerResponse) => {
        let body = "";
        req.on("data", (chunk: Buffer) => (body += chunk.toString()));
        req.on("end", () => {
          if (req.method === "POST") {
            posts++;
            const sent = JSON.parse(body) as { names: string[]; tags: string[] };
            marker = sent.tags.at(-1)!;
            // The first create makes m-1 only, then fails; the resend makes m-2 but answers without it.
            created.push({ id: posts, name: sent.names[0]!, tags: [marker] });
            if (posts === 1) return res.writeHead(500, { "content-type": "application/json" }).end('{"id":"server_error","message":"create failed"}');
            return res.writeHead(202, { "content-type": "application/json" }).end("{}");
          }
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ droplets: created, links: {}, meta: { total: created.length } }));
        });
      }),
    );
    const answer = (await clientOf(server).droplets.create({ ...base, names: ["m-1", "m-2"] }, { recoverable: fast })) as { droplets: Array<{ name: string } | undefined> };
    assert.equal(posts, 2);
    assert.deepEqual(answer.droplets.map((d) => d?.name), ["m-1", "m-2"]);
  });

  it("a list read page by page (volumes) whose page lacks the list is a failed lookup too", async () => {
    server = await apiServer(() => [200, '{"links":{},"meta":{"total":0}}']);
    await assert.rejects(clientOf(server).volumes.create({ size_gigabytes: 10, name: "vol", region: "nyc3" }, { recoverable: fast }), InternalServerError);
    assert.equal(server.posts, 1);
  });

  it("multi-create: a marked item without a name cannot be matched, so the lookup failed and nothing is sent again", async () => {
    server = await apiServer((marker) => [200, JSON.stringify({ droplets: [{ id: 1, tags: [marker] }], links: {}, meta: { total: 1 } })]);
    await assert.rejects(clientOf(server).droplets.create({ ...base, names: ["m-1", "m-2"] }, { recoverable: fast }), InternalServerError);
    assert.equal(server.posts, 1);
  });

  it("a readable empty list is still 'not found': the create is sent again (the same marker), up to maxAttempts", async () => {
    const s = await apiServer(() => [200, '{"droplets":[],"links":{},"meta":{"total":0}}']);
    server = s;
    await assert.rejects(clientOf(s).droplets.create({ ...base, name: "web-1" }, { recoverable: { ...fast, maxAttempts: 2 } }), InternalServerError);
    assert.equal(s.posts, 2);
    assert.equal(new Set(s.markers).size, 1, "one marker for every attempt");
  });

  it("several marked resources for one create: the oldest (by created_at, then id) is returned, the others are named in a warning and in `duplicates`", async () => {
    // Listed out of order; 08:00Z is written with an offset, and two share a creation time.
    const droplets = (marker: string) => [
      { id: 30, name: "web-1", created_at: "2024-01-01T09:00:00Z", tags: [marker] },
      { id: 12, name: "web-1", created_at: "2024-01-01T10:00:00+02:00", tags: [marker] },
      { id: 11, name: "web-1", created_at: "2024-01-01T08:00:00.000Z", tags: [marker] },
      { id: 40, name: "web-1", tags: [marker] },
    ];
    server = await apiServer((marker) => [200, JSON.stringify({ droplets: droplets(marker), links: {}, meta: { total: 4 } })]);
    const logs = captureLogs("warning");
    let answer: Record<string, unknown>;
    try {
      answer = (await clientOf(server).droplets.create({ ...base, name: "web-1" }, { recoverable: fast })) as never;
    } finally {
      logs.restore();
    }
    assert.equal((answer.droplet as { id: number }).id, 11);
    assert.deepEqual(answer.duplicates, [12, 30, 40], "the others, oldest first");
    assert.deepEqual(answer.links, {});
    assert.equal(server.posts, 1);
    const line = logs.lines.find((l) => l.includes("droplets_create"));
    assert.ok(line, logs.lines.join("\n"));
    assert.match(line, /4 resources/);
    assert.match(line, /\b11\b/);
    assert.match(line, /12, 30, 40/);
  });

  it("the choice does not depend on the listing order", async () => {
    let order = 0;
    server = await apiServer((marker) => {
      const droplets = [
        { id: 7, name: "a", created_at: "2024-05-05T00:00:00Z", tags: [marker] },
        { id: 5, name: "a", created_at: "2024-05-05T00:00:00Z", tags: [marker] },
        { id: "6", name: "a", created_at: "2024-05-05T00:00:00Z", tags: [marker] },
      ];
      if (order++ % 2 === 1) droplets.reverse();
      return [200, JSON.stringify({ droplets, links: {}, meta: { total: 3 } })];
    });
    const c = clientOf(server);
    const first = (await c.droplets.create({ ...base, name: "a" }, { recoverable: { ...fast, lookups: 1 } })) as unknown as { droplet: { id: number }; duplicates: unknown[] };
    const second = (await c.droplets.create({ ...base, name: "a" }, { recoverable: { ...fast, lookups: 1 } })) as unknown as { droplet: { id: number }; duplicates: unknown[] };
    assert.equal(first.droplet.id, 5);
    assert.equal(second.droplet.id, 5);
    // Numbers before strings: a total order even for ids of mixed types.
    assert.deepEqual(first.duplicates, [7, "6"]);
    assert.deepEqual(second.duplicates, [7, "6"]);
  });

  it("one marked resource: no `duplicates`, no warning", async () => {
    server = await apiServer((marker) => [200, JSON.stringify({ droplets: [{ id: 3, name: "one", tags: [marker] }], links: {}, meta: { total: 1 } })]);
    const logs = captureLogs("warning");
    let answer: Record<string, unknown>;
    try {
      answer = (await clientOf(server).droplets.create({ ...base, name: "one" }, { recoverable: fast })) as never;
    } finally {
      logs.restore();
    }
    assert.deepEqual(answer, { droplet: { id: 3, name: "one", tags: [(answer.droplet as { tags: string[] }).tags[0]] }, links: {} });
    assert.deepEqual(logs.lines.filter((l) => l.includes("droplets_create")), []);
  });

  it("multi-create: per name, the oldest is returned and the others are duplicates", async () => {
    server = await apiServer((marker) => {
      const droplets = [
        { id: 105, name: "m-1", created_at: "2024-01-01T00:00:05Z", tags: [marker] },
        { id: 201, name: "m-2", created_at: "2024-01-01T00:00:01Z", tags: [marker] },
        { id: 103, name: "m-1", created_at: "2024-01-01T00:00:03Z", tags: [marker] },
        { id: 104, name: "m-1", created_at: "2024-01-01T00:00:04Z", tags: [marker] },
        { id: 999, name: "not-asked", created_at: "2024-01-01T00:00:00Z", tags: [marker] },
      ];
      return [200, JSON.stringify({ droplets, links: {}, meta: { total: droplets.length } })];
    });
    const logs = captureLogs("warning");
    let answer: Record<string, unknown>;
    try {
      answer = (await clientOf(server).droplets.create({ ...base, names: ["m-1", "m-2"] }, { recoverable: fast })) as never;
    } finally {
      logs.restore();
    }
    assert.deepEqual((answer.droplets as Array<{ id: number }>).map((d) => d.id), [103, 201]);
    assert.deepEqual(answer.duplicates, [104, 105]);
    assert.equal(server.posts, 1);
    const line = logs.lines.find((l) => l.includes("droplets_create"));
    assert.ok(line, logs.lines.join("\n"));
    assert.match(line, /"m-1"/);
    assert.match(line, /\b103\b/);
    assert.match(line, /104, 105/);
  });

  it("on a whole list (volumes), an item without tags is someone else's resource, not a changed shape: the marked one is recovered", async () => {
    server = await apiServer((marker) => [
      200,
      JSON.stringify({ volumes: [{ id: "v-0", name: "other" }, { id: "v-1", name: "vol", created_at: "2024-01-01T00:00:00Z", tags: [marker] }], links: {}, meta: { total: 2 } }),
    ]);
    const answer = (await clientOf(server).volumes.create({ size_gigabytes: 10, name: "vol", region: "nyc3" }, { recoverable: fast })) as { volume: { id: string } };
    assert.equal(answer.volume.id, "v-1");
    assert.equal(server.posts, 1);
  });

  it("one resource listed on two pages (the listing shifted between them) is one resource, not a duplicate", async () => {
    let pages = 0;
    server = await apiServer((marker, _path, page) => {
      pages++;
      const volumes = [{ id: "v-1", name: "vol", created_at: "2024-01-01T00:00:00Z", tags: [marker] }];
      const links = page === "1" ? { pages: { next: `${server!.url}/v2/volumes?page=2&per_page=200` } } : {};
      return [200, JSON.stringify({ volumes, links, meta: { total: 2 } })];
    });
    const logs = captureLogs("warning");
    let answer: Record<string, unknown>;
    try {
      answer = (await clientOf(server).volumes.create({ size_gigabytes: 10, name: "vol", region: "nyc3" }, { recoverable: fast })) as never;
    } finally {
      logs.restore();
    }
    assert.equal(pages, 2);
    assert.equal((answer.volume as { id: string }).id, "v-1");
    assert.equal(answer.duplicates, undefined);
    assert.deepEqual(logs.lines.filter((l) => l.includes("volumes_create")), []);
  });

  it("a warning about duplicates stays one short line, whatever the server sends", async () => {
    server = await apiServer((marker) => {
      const droplets = Array.from({ length: 500 }, (_, i) => ({ id: `${"x".repeat(200)}\r\nforged line ${i}`, name: "n", created_at: "2024-01-01T00:00:00Z", tags: [marker] }));
      return [200, JSON.stringify({ droplets, links: {}, meta: { total: droplets.length } })];
    });
    const logs = captureLogs("warning");
    let answer: Record<string, unknown>;
    try {
      answer = (await clientOf(server).droplets.create({ ...base, name: "n" }, { recoverable: fast })) as never;
    } finally {
      logs.restore();
    }
    assert.equal((answer.duplicates as unknown[]).length, 499);
    const line = logs.lines.find((l) => l.includes("droplets_create"));
    assert.ok(line);
    assert.ok(line.length < 2000, `${line.length} characters`);
    assert.doesNotMatch(line, /[\r\n]/);
  });
});
