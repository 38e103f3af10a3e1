import assert from "node:assert/strict";
import { DigitalOceanClient } from "../../src/index.js";
import { scenario } from "./results.js";
import { httpServer, json, netServer, type RawServer } from "./servers.js";

const GROUP = "Protocol edges";

describe("fault suite: protocol edges", () => {
  let server: RawServer | undefined;
  afterEach(() => server?.close());

  const clientOf = (url: string): DigitalOceanClient => new DigitalOceanClient("t", { endpoint: url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });

  scenario(GROUP, "a DELETE answered 204 with stray bytes after the headers resolves (the answer is complete)", async (row) => {
    // node:http cannot send a body with a 204: a raw socket does.
    server = await netServer((socket) => socket.once("data", () => socket.end('HTTP/1.1 204 No Content\r\nconnection: keep-alive\r\n\r\n{"stray":true}')));
    assert.equal(await clientOf(server.url).droplets.destroy(1), undefined);
    row.requests = server.received();
    row.faults = "204 followed by 14 stray bytes";
    row.figure = "resolved undefined";
  });

  scenario(GROUP, "a GET answered 308 is followed to the new location", async (row) => {
    server = await httpServer((request, response) => {
      if (request.url === "/v2/droplets/1") return void response.writeHead(308, { location: "/v2/droplets/2" }).end();
      json(response, 200, { droplet: { id: 2 } });
    });
    const droplet = await clientOf(server.url).droplets.get(1);
    assert.equal(droplet.droplet?.id, 2);
    row.requests = server.received();
    row.faults = "1 × 308";
    row.figure = "followed: the moved droplet returned";
  });

  scenario(GROUP, "a page that links to itself under a new spelling each time stops after that page", async (row) => {
    const spellings = ["/v2/tags?page=2", "http://{host}/v2/tags?page=2", "HTTP://{host}/v2/tags?per_page=20&page=2", "/v2/tags?page=2&"];
    server = await httpServer((request, response, index) => {
      const page = request.url === "/v2/tags" ? 1 : 2;
      const next = spellings[Math.min(index, spellings.length - 1)]!.replace("{host}", request.headers.host ?? "");
      json(response, 200, { tags: [{ name: `p${page}` }], links: { pages: { next } } });
    });
    const tags = await clientOf(server.url).tags.list().toArray();
    assert.deepEqual(tags.map((tag) => tag.name), ["p1", "p2"]);
    assert.equal(server.received(), 2, "page 2's link back to itself is not fetched again");
    row.requests = server.received();
    row.faults = `next link respelled ${spellings.length} ways`;
    row.figure = "2 pages, then stopped";
  });

  scenario(GROUP, "a lone surrogate in a path or query value: TypeError naming the operation and parameter, nothing sent", async (row) => {
    server = await httpServer((_request, response) => json(response, 200, {}));
    const client = clientOf(server.url);
    const inPath = await client.tags.get("bad\uD800").then(() => undefined, (e: unknown) => e);
    const inQuery = await client.droplets.list({ tag_name: "bad\uDC00" }).then(() => undefined, (e: unknown) => e);
    for (const error of [inPath, inQuery]) assert.ok(error instanceof TypeError, `got ${String(error)}`);
    assert.match((inPath as TypeError).message, /tags_get: path parameter "tag_id" is not well-formed Unicode/);
    assert.match((inQuery as TypeError).message, /droplets_list: (query )?parameter "tag_name" is not well-formed Unicode/);
    assert.equal(server.received(), 0);
    row.faults = "\\uD800 in a path, \\uDC00 in a query";
    row.figure = "2 TypeErrors, 0 requests";
  });
});
