import assert from "node:assert/strict";
import nock from "nock";
import { useNock } from "../support/nock.js";
import { createDefaultHttpClient } from "@azure/core-rest-pipeline";
import { createOperationGroup, type OperationHost } from "../../src/core/operation.js";
import type { OperationTable } from "../../src/core/operationSpec.js";
import { InvalidTokenError, NotFoundError, ResponseParseError, UnprocessableEntityError } from "../../src/core/errors.js";
import { PagedResult } from "../../src/core/paging.js";

const API = "https://api.example.test";

/** A host that sends straight to the network layer, so these tests see exactly what the runtime encodes. */
function directHost(base = API): OperationHost {
  const httpClient = createDefaultHttpClient();
  return { sendRequest: (request) => httpClient.sendRequest(request), baseUrlFor: () => base };
}

const table = {
  get: { id: "things_get", method: "GET", path: "/v2/things/{thing_id}/parts/{part}", pathParams: ["thing_id", "part"], response: "json" },
  list: { id: "things_list", method: "GET", path: "/v2/things", query: ["per_page", "page", "tag_name", "ids", "verbose"], response: "json", paged: "things" },
  create: { id: "things_create", method: "POST", path: "/v2/things", body: "json", bodyRequired: true, response: "json" },
  update: { id: "things_update", method: "PATCH", path: "/v2/things/{thing_id}", pathParams: ["thing_id"], body: "json", query: ["dry_run"], response: "json" },
  destroy: {
    id: "things_destroy",
    method: "DELETE",
    path: "/v2/things/{thing_id}",
    pathParams: ["thing_id"],
    headers: ["X-Dangerous"],
    requiredParams: ["X-Dangerous"],
    response: "none",
  },
  csv: { id: "things_csv", method: "GET", path: "/v2/things.csv", response: "text" },
  pdf: { id: "things_pdf", method: "GET", path: "/v2/things.pdf", response: "binary" },
  stream: { id: "things_stream", method: "POST", path: "/v1/stream", body: "json", response: "events" },
} satisfies OperationTable;

type Method = (...args: unknown[]) => Promise<unknown>;
const group = (host: OperationHost = directHost()) => createOperationGroup(host, table) as Record<keyof typeof table, Method>;

describe("operations: encoding a call", () => {
  useNock();

  it("encodes path parameters with encodeURIComponent, in URL order", async () => {
    const scope = nock(API).get("/v2/things/a%2Fb%20c/parts/7").reply(200, { ok: true });
    assert.deepEqual(await group().get("a/b c", 7), { ok: true });
    assert.ok(scope.isDone());
  });

  for (const [label, value] of [["missing", undefined], ["null", null], ["empty", ""]] as const) {
    it(`rejects a ${label} path parameter with a TypeError naming operation and parameter, sending nothing`, async () => {
      await assert.rejects(group().get(value, "x"), (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /things_get: path parameter "thing_id" is required/);
        return true;
      });
    });
  }

  it("rejects '.' and '..' as path values", async () => {
    for (const value of [".", ".."]) await assert.rejects(group().get("1", value), /part" may not be/);
  });

  it("encodes query values: undefined skipped, booleans, arrays as repeated keys", async () => {
    const scope = nock(API)
      .get("/v2/things")
      .query((query) => {
        assert.deepEqual({ ...query }, { per_page: "10", tag_name: "web prod", ids: ["1", "2"], verbose: "false" });
        return true;
      })
      .reply(200, { things: [] });
    await group().list({ per_page: 10, page: undefined, tag_name: "web prod", ids: [1, 2], verbose: false });
    assert.ok(scope.isDone());
  });

  it("rejects extra arguments and unknown options instead of ignoring them", async () => {
    await assert.rejects(group().get(1, 2, { stray: true }), /things_get: unknown option "stray"/);
    await assert.rejects(group().get(1, 2, {}, {}), /things_get: takes at most 3 arguments \(got 4\)/);
    // Paged calls report bad arguments the same way: by rejecting, never by a synchronous throw.
    await assert.rejects(group().list({}, {}, {}), /things_list: takes at most 2 arguments/);
  });

  it("rejects an unknown parameter instead of dropping it", async () => {
    await assert.rejects(group().list({ per_pgae: 10 }), /things_list: unknown parameter "per_pgae"/);
  });

  it("sends header parameters and rejects a missing required one", async () => {
    const scope = nock(API, { reqheaders: { "x-dangerous": "true" } }).delete("/v2/things/5").reply(204);
    assert.equal(await group().destroy(5, { "X-Dangerous": true }), undefined);
    assert.ok(scope.isDone());
    await assert.rejects(group().destroy(5), /things_destroy: parameter "X-Dangerous" is required/);
  });

  it("serializes JSON bodies with Content-Type application/json and requires a required body", async () => {
    const scope = nock(API, { reqheaders: { "content-type": "application/json" } })
      .post("/v2/things", { name: "a", tags: ["x"] })
      .reply(201, { thing: { id: 1 } });
    assert.deepEqual(await group().create({ name: "a", tags: ["x"] }), { thing: { id: 1 } });
    assert.ok(scope.isDone());
    await assert.rejects(group().create(), /things_create: a request body is required/);
  });

  it("places body, params and options in their slots", async () => {
    let seen: unknown;
    const scope = nock(API, { reqheaders: { "x-extra": "1" } })
      .patch("/v2/things/3?dry_run=true", { name: "b" })
      .reply(200, { thing: { id: 3 } });
    await group().update(3, { name: "b" }, { dry_run: true }, { headers: { "x-extra": "1" }, onResponse: (r: { status: number }) => (seen = r.status) });
    assert.ok(scope.isDone());
    assert.equal(seen, 200);
  });
});

describe("operations: reading the answer", () => {
  useNock();

  it("returns text for text kinds and bytes for binary kinds", async () => {
    nock(API).get("/v2/things.csv").reply(200, "a,b\n1,2\n", { "content-type": "text/csv" });
    assert.equal(await group().csv(), "a,b\n1,2\n");
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80]);
    nock(API).get("/v2/things.pdf").reply(200, bytes, { "content-type": "application/pdf" });
    const result = await group().pdf();
    assert.ok(result instanceof Uint8Array);
    assert.deepEqual(Buffer.from(result as Uint8Array), bytes);
  });

  it("parses an event stream into events, and a JSON answer of a streaming operation as JSON", async () => {
    nock(API)
      .post("/v1/stream")
      .reply(200, 'data: {"n":1}\n\nevent: end\ndata: {"n":2}\n\ndata: [DONE]\n\n', { "content-type": "text/event-stream" });
    const events: unknown[] = [];
    for await (const event of (await group().stream({ stream: true })) as AsyncIterable<unknown>) events.push(event);
    assert.deepEqual(events, [{ data: { n: 1 } }, { event: "end", data: { n: 2 } }]);
    nock(API).post("/v1/stream").reply(200, { n: 3 }, { "content-type": "application/json" });
    assert.deepEqual(await group().stream({ stream: false }), { n: 3 });
  });

  it("gives a stream even when a streaming request is answered with plain JSON", async () => {
    nock(API).post("/v1/stream").reply(200, { n: 4 }, { "content-type": "application/json" });
    const events: unknown[] = [];
    for await (const event of (await group().stream({ stream: true })) as AsyncIterable<unknown>) events.push(event);
    assert.deepEqual(events, [{ data: { n: 4 } }]);
  });

  it("asks for an event stream only when the body sets stream: true", async () => {
    const streaming = nock(API, { reqheaders: { accept: "text/event-stream" } })
      .post("/v1/stream")
      .reply(200, "data: {}\n\n", { "content-type": "text/event-stream" });
    await group().stream({ stream: true });
    assert.ok(streaming.isDone());
    const json = nock(API, { reqheaders: { accept: "application/json" } }).post("/v1/stream").reply(200, {});
    await group().stream({ stream: false });
    assert.ok(json.isDone());
  });

  it("throws typed errors for non-2xx answers, with DigitalOcean's id and request id", async () => {
    nock(API).get("/v2/things/9/parts/1").reply(404, { id: "not_found", message: "The resource you were accessing could not be found.", request_id: "abc" });
    await assert.rejects(group().get(9, 1), (error: NotFoundError) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.statusCode, 404);
      assert.equal(error.id, "not_found");
      assert.equal(error.requestId, "abc");
      assert.match(error.message, /404 The resource you were accessing could not be found\. \(GET \/v2\/things\/9\/parts\/1\)/);
      return true;
    });
    nock(API).post("/v2/things").reply(422, { id: "unprocessable_entity", message: "bad region" }, { "x-request-id": "hdr-id" });
    await assert.rejects(group().create({}), (error: UnprocessableEntityError) => error instanceof UnprocessableEntityError && error.requestId === "hdr-id");
  });

  it("reports invalid JSON with status, request id and a short excerpt only", async () => {
    const body = `{"broken": ${"x".repeat(5000)}`;
    nock(API).get("/v2/things/1/parts/2").reply(200, body, { "content-type": "application/json", "x-request-id": "rid-1" });
    await assert.rejects(group().get(1, 2), (error: ResponseParseError) => {
      assert.ok(error instanceof ResponseParseError);
      assert.equal(error.statusCode, 200);
      assert.equal(error.requestId, "rid-1");
      // The excerpt is the body's shape: keys kept, values (here a bare word) masked.
      assert.equal(error.excerpt, '{"broken": …');
      assert.ok(!error.message.includes("x".repeat(300)));
      return true;
    });
  });
});

describe("operations: paged results", () => {
  useNock();

  const page = (n: number, next?: string) => ({ things: [`t${n}a`, `t${n}b`], links: next ? { pages: { next } } : {}, meta: { total: 6 } });

  it("yields every item across 3 pages once with exactly 3 requests, awaiting gives the first page", async () => {
    const scope = nock(API)
      .get("/v2/things?per_page=2")
      .reply(200, page(1, "https://api.example.test/v2/things?page=2&per_page=2"))
      .get("/v2/things?page=2&per_page=2")
      .reply(200, page(2, "https://api.example.test/v2/things?page=3&per_page=2"))
      .get("/v2/things?page=3&per_page=2")
      .reply(200, page(3));
    const result = group().list({ per_page: 2 }) as unknown as PagedResult<string, unknown>;
    assert.ok(result instanceof PagedResult);
    assert.deepEqual(await result, page(1, "https://api.example.test/v2/things?page=2&per_page=2"));
    const items: string[] = [];
    for await (const item of result) items.push(item);
    assert.deepEqual(items, ["t1a", "t1b", "t2a", "t2b", "t3a", "t3b"]);
    assert.ok(scope.isDone());
  });

  it("follows next links on the client's own endpoint, path prefix included, and refuses one to another origin", async () => {
    const proxy = "https://proxy.example.test/do";
    const scope = nock("https://proxy.example.test")
      .get("/do/v2/things")
      .reply(200, page(1, "https://proxy.example.test/do/v2/things?page=2"))
      .get("/do/v2/things?page=2")
      .reply(200, page(2, "https://elsewhere.example.test/do/v2/things?page=3"));
    const pages: unknown[] = [];
    const walk = (async () => {
      for await (const p of (group(directHost(proxy)).list() as unknown as PagedResult<string, unknown>).byPage()) pages.push(p);
    })();
    await assert.rejects(walk, (error: InvalidTokenError) => error instanceof InvalidTokenError && /links\.pages\.next is on another origin/.test(error.message));
    assert.equal(pages.length, 2, "both pages are handed over before the walk is refused");
    assert.ok(scope.isDone());
  });

  it("stops when a next link points back at a page already read", async () => {
    const scope = nock(API)
      .get("/v2/things")
      .reply(200, page(1, "https://api.example.test/v2/things?page=2"))
      .get("/v2/things?page=2")
      .reply(200, page(2, "https://api.example.test/v2/things?page=2"));
    const items: string[] = [];
    for await (const item of group().list() as unknown as PagedResult<string, unknown>) items.push(item);
    assert.deepEqual(items, ["t1a", "t1b", "t2a", "t2b"]);
    assert.ok(scope.isDone());
  });

  it("stops when the first page links to itself as page=1 (it was asked for without page)", async () => {
    const scope = nock(API).get("/v2/things").reply(200, page(1, "https://api.example.test/v2/things?page=1"));
    const items: string[] = [];
    for await (const item of group().list() as unknown as PagedResult<string, unknown>) items.push(item);
    assert.deepEqual(items, ["t1a", "t1b"]);
    assert.ok(scope.isDone());
  });

  it("collects every item with toArray, and rejects through catch like a promise", async () => {
    nock(API).get("/v2/things").reply(200, page(1, "https://api.example.test/v2/things?page=2")).get("/v2/things?page=2").reply(200, page(2));
    assert.deepEqual(await (group().list() as unknown as PagedResult<string, unknown>).toArray(), ["t1a", "t1b", "t2a", "t2b"]);
    nock(API).get("/v2/things").reply(500, { id: "server_error" });
    const caught = await (group().list() as unknown as PagedResult<string, unknown>).catch((error: unknown) => error);
    assert.ok(caught instanceof Error && /500/.test(caught.message));
  });

  it("sends nothing until awaited or iterated", async () => {
    let sent = 0;
    const counting: OperationHost = { ...directHost(), sendRequest: () => ((sent += 1), Promise.reject(new Error("not expected"))) };
    const result = group(counting).list() as unknown as PagedResult<string, unknown>;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sent, 0);
    await assert.rejects(result.then((page) => page), /not expected/);
    assert.equal(sent, 1);
  });

  it("does not repeat the endpoint's path prefix when the next link already carries it", async () => {
    const scope = nock("https://proxy.example.test")
      .get("/do/v2/things")
      .reply(200, page(1, "/do/v2/things?page=2"))
      .get("/do/v2/things?page=2")
      .reply(200, page(2));
    const items: string[] = [];
    for await (const item of group(directHost("https://proxy.example.test/do")).list() as unknown as PagedResult<string, unknown>) items.push(item);
    assert.equal(items.length, 4);
    assert.ok(scope.isDone());
  });
});
