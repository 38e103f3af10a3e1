import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DigitalOceanClient } from "../../src/client.js";
import { APIPromise } from "../../src/core/apiPromise.js";
import { InvalidTokenError, NotFoundError } from "../../src/core/errors.js";
import { PagedResult, type ContinuablePage } from "../../src/core/paging.js";
import type { Tag, TagsGetResponse, TagsListResponse } from "../../src/models/index.js";
import { startServer, TOKEN, type TestServer } from "./policies/support.js";

/**
 * A loopback DigitalOcean for tags: `GET /v2/tags` pages through `total` tags by `page`/`per_page`
 * (default 20) with absolute next links on its own origin, as the API does; `GET /v2/tags/{name}` answers one tag.
 */
async function tagServer(total: number): Promise<TestServer> {
  return startServer((req: IncomingMessage, res: ServerResponse, index: number) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = { "content-type": "application/json", "x-request-id": `req-${index}`, "ratelimit-limit": "5000", "ratelimit-remaining": String(4999 - index), "ratelimit-reset": "1700000000" };
    if (url.pathname.startsWith("/v2/tags/")) {
      const name = decodeURIComponent(url.pathname.slice("/v2/tags/".length));
      res.writeHead(name === "missing" ? 404 : 200, headers);
      return void res.end(JSON.stringify(name === "missing" ? { id: "not_found", message: "no" } : { tag: { name } }));
    }
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? 20);
    const tags = Array.from({ length: total }, (_, i) => ({ name: `t${i + 1}` })).slice((page - 1) * perPage, page * perPage);
    const more = page * perPage < total;
    const next = `http://${req.headers.host}/v2/tags?page=${page + 1}&per_page=${perPage}`;
    res.writeHead(200, headers);
    res.end(JSON.stringify({ tags, links: more ? { pages: { next } } : {}, meta: { total } }));
  });
}

const names = (tags: ReadonlyArray<{ name?: string }>) => tags.map((tag) => tag.name);

describe("raw responses and resumable pages", () => {
  let server: TestServer;
  let client: DigitalOceanClient;
  afterEach(async () => {
    await client?.close();
    await server?.close();
  });
  async function start(total: number): Promise<void> {
    server = await tagServer(total);
    client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true });
  }

  describe("withResponse() and asResponse()", () => {
    it("withResponse gives the parsed body and the same response object onResponse sees, with exactly one request", async () => {
      await start(0);
      const seen: PipelineResponse[] = [];
      const call = client.tags.get("web", { onResponse: (response) => seen.push(response) });
      const { data, response, requestId, rateLimit } = await call.withResponse();
      assert.deepEqual(data, { tag: { name: "web" } });
      assert.equal(seen.length, 1);
      assert.equal(response, seen[0]);
      assert.equal(requestId, "req-0");
      assert.deepEqual(rateLimit, { limit: 5000, remaining: 4999, resetAt: new Date(1_700_000_000_000) });
      // Awaiting the call afterwards reuses the same exchange.
      assert.equal(await call, data);
      assert.equal(server.requests.length, 1);
    });

    it("asResponse gives the response with its body not parsed; non-2xx answers still reject with typed errors", async () => {
      await start(0);
      const response = await client.tags.get("web").asResponse();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-request-id"), "req-0");
      assert.equal(response.bodyAsText, '{"tag":{"name":"web"}}');
      await assert.rejects(client.tags.get("missing").asResponse(), NotFoundError);
      await assert.rejects(client.tags.get("missing").withResponse(), NotFoundError);
      assert.equal(server.requests.length, 3);
    });

    it("leaves a binary body unread for asResponse", async () => {
      server = await startServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/pdf" });
        res.end("%PDF-1.7");
      });
      client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true });
      const response = await client.invoices.getPdfByUUID("inv").asResponse();
      assert.ok(response.readableStreamBody, "the stream is the caller's to read");
      let text = "";
      for await (const chunk of response.readableStreamBody as AsyncIterable<Buffer>) text += chunk.toString();
      assert.equal(text, "%PDF-1.7");
      const { data } = await client.invoices.getPdfByUUID("inv").withResponse();
      assert.equal(new TextDecoder().decode(data), "%PDF-1.7");
    });

    it("works on a paged call's first page and on every byPage() page, one request per page", async () => {
      await start(5);
      const result = client.tags.list({ per_page: 2 });
      const first = await result.withResponse();
      assert.deepEqual(names(first.data.tags ?? []), ["t1", "t2"]);
      assert.equal(first.requestId, "req-0");
      assert.equal((await result.asResponse()).status, 200);
      const pages: string[][] = [];
      const ids: Array<string | undefined> = [];
      for await (const { data, requestId, response } of result.byPage().withResponse()) {
        pages.push(names(data.tags ?? []) as string[]);
        ids.push(requestId);
        assert.equal(response.status, 200);
      }
      assert.deepEqual(pages, [["t1", "t2"], ["t3", "t4"], ["t5"]]);
      assert.deepEqual(ids, ["req-0", "req-1", "req-2"], "the first page is shared, not fetched again");
      const statuses: number[] = [];
      for await (const response of client.tags.list({ per_page: 2 }).byPage().asResponse()) statuses.push(response.status);
      assert.deepEqual(statuses, [200, 200, 200]);
      assert.equal(server.requests.length, 6);
    });

    it("is a Promise to the type system and at run time, keeping the operation's result types", async () => {
      await start(3);
      const get: Promise<TagsGetResponse> = client.tags.get("web");
      const list: Promise<TagsListResponse> = client.tags.list();
      const later: () => Promise<TagsListResponse> = () => client.tags.list();
      assert.ok(get instanceof Promise && get instanceof APIPromise);
      assert.ok(list instanceof Promise && list instanceof PagedResult);
      assert.equal(Object.prototype.toString.call(list), "[object Promise]");
      assert.equal(list[Symbol.toStringTag], "Promise");
      const [one, all] = await Promise.all([get, list]);
      assert.equal(one.tag?.name, "web");
      assert.equal(all.tags?.length, 3);
      assert.equal((await later().then((page) => page.meta)).total, 3);
      assert.equal(await Promise.resolve(client.tags.list()).then((page) => page.tags?.length), 3);
      // .then/.catch/.finally give plain promises, not new calls.
      const chained = client.tags.get("web").finally(() => undefined);
      assert.equal(chained.constructor, Promise);
      assert.equal((await chained).tag?.name, "web");
      assert.equal(server.requests.length, 5);
    });
  });

  describe("resumable pagination", () => {
    it("a walk stopped after page 2 resumes from page 2's continuationToken and yields the remaining items once", async () => {
      await start(7);
      const seen: string[] = [];
      let token: string | undefined;
      let pageCount = 0;
      for await (const page of client.tags.list({ per_page: 2 }).byPage()) {
        seen.push(...(names(page.tags ?? []) as string[]));
        token = page.continuationToken;
        if (++pageCount === 2) break;
      }
      assert.deepEqual(seen, ["t1", "t2", "t3", "t4"]);
      assert.equal(token, `${server.url}/v2/tags?page=3&per_page=2`, "the next link, resolved against the client's endpoint");

      // A new job, a new client: only the stored token carries over.
      const resumed = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true });
      const rest: string[] = [];
      const tokens: Array<string | undefined> = [];
      for await (const page of resumed.tags.list().byPage({ continuationToken: token })) {
        rest.push(...(names(page.tags ?? []) as string[]));
        tokens.push(page.continuationToken);
      }
      await resumed.close();
      assert.deepEqual(rest, ["t5", "t6", "t7"]);
      assert.deepEqual(tokens, [`${server.url}/v2/tags?page=4&per_page=2`, undefined]);
      assert.deepEqual([...seen, ...rest], Array.from({ length: 7 }, (_, i) => `t${i + 1}`), "every item once");
      assert.equal(server.requests.length, 2 + 2);
    });

    it("maxPageSize sets per_page; resuming with a different size is refused (it would skip or repeat items)", async () => {
      await start(5);
      const sizes: number[] = [];
      let token: string | undefined;
      for await (const page of client.tags.list().byPage({ maxPageSize: 3 })) {
        sizes.push(page.tags?.length ?? 0);
        token ??= page.continuationToken;
      }
      assert.deepEqual(sizes, [3, 2]);
      assert.equal(new URL(server.requests[0]?.url ?? "", "http://x").searchParams.get("per_page"), "3");
      const pages = await collect(client.tags.list().byPage({ continuationToken: token, maxPageSize: 3 }));
      assert.equal(pages.length, 1);
      await assert.rejects(collect(client.tags.list().byPage({ continuationToken: token, maxPageSize: 2 })), /made with per_page=3; resuming with maxPageSize 2 would skip or repeat items/);
      await assert.rejects(collect(client.tags.list({ per_page: 4 }).byPage({ maxPageSize: 3 })), /maxPageSize \(3\) and the parameter per_page \(4\) disagree/);
      await assert.rejects(collect(client.tags.list().byPage({ maxPageSize: 0 })), /maxPageSize must be a positive integer/);
      await assert.rejects(collect(client.tags.list().byPage({ continuationToken: "" })), /continuationToken must be/);
      assert.equal(server.requests.length, 2 + 1);
    });

    it("keeps the page as the API sent it: the token is not enumerable", async () => {
      await start(3);
      const [page] = await collect(client.tags.list({ per_page: 2 }).byPage());
      assert.ok(page?.continuationToken);
      assert.equal(JSON.stringify(page).includes("continuationToken"), false);
      assert.deepEqual(Object.keys(page), ["tags", "links", "meta"]);
    });

    it("a token naming another host is refused, not resumed there or on the client's endpoint", async () => {
      await start(5);
      await assert.rejects(collect(client.tags.list().byPage({ continuationToken: "https://elsewhere.example/v2/tags?page=2&per_page=2" })), InvalidTokenError);
      assert.equal(server.requests.length, 0);
    });

    it("stops when a page links to itself under a new spelling each time (relative, absolute, upper-case host, reordered query)", async () => {
      const spellings = ["/v2/tags?page=2", "http://{host}/v2/tags?page=2", "HTTP://{host}/v2/tags?per_page=20&page=2", "/v2/tags?page=2&"];
      server = await startServer((req, res, index) => {
        const page = req.url === "/v2/tags" ? 1 : 2;
        const next = spellings[Math.min(index, spellings.length - 1)]!.replace("{host}", req.headers.host ?? "");
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ tags: [{ name: `p${page}` }], links: { pages: { next } } }));
      });
      client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true });
      assert.deepEqual(names(await client.tags.list().toArray()), ["p1", "p2"]);
      assert.equal(server.requests.length, 2);
      server.requests.length = 0;
      // Page 1 linking back to itself stops too.
      spellings.splice(0, spellings.length, "/v2/tags?");
      assert.deepEqual(names(await client.tags.list().toArray()), ["p1"]);
      assert.equal(server.requests.length, 1);
    });

    it("fits @azure/core-paging's PagedAsyncIterableIterator and PageSettings", async () => {
      await start(3);
      const settings: PageSettings = { maxPageSize: 2 };
      const paged: PagedAsyncIterableIterator<Tag, ContinuablePage<TagsListResponse>, PageSettings> = client.tags.list();
      const items: Tag[] = [];
      for (let step = await paged.next(); !step.done; step = await paged.next()) items.push(step.value);
      assert.deepEqual(names(items), ["t1", "t2", "t3"]);
      const iterator = client.tags.list()[Symbol.asyncIterator]();
      assert.equal((await iterator.next()).value?.name, "t1");
      const byPage = await collect(iterator.byPage(settings));
      assert.deepEqual(byPage.map((page) => page.tags?.length), [2, 1]);
    });

    it("reports bad arguments by rejection, never a synchronous throw, and sends nothing", async () => {
      await start(3);
      const result = client.tags.list({ per_pgae: 2 } as never);
      await assert.rejects(result, /tags_list: unknown parameter "per_pgae"/);
      await assert.rejects(result.withResponse(), /unknown parameter/);
      await assert.rejects(collect(result.byPage()), /unknown parameter/);
      await assert.rejects(result.toArray(), /unknown parameter/);
      const resumed = client.tags.list(undefined, { onResponse: "log" as never }).byPage({ continuationToken: `${server.url}/v2/tags?page=2` });
      await assert.rejects(collect(resumed), /tags_list: onResponse must be a function/);
      assert.equal(server.requests.length, 0);
    });
  });
});

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}
