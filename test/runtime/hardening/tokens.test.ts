import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { inspect } from "node:util";
import { DigitalOceanClient } from "../../../src/client.js";
import { InvalidTokenError, NotFoundError, TsdoError, WaitFailedError } from "../../../src/core/errors.js";
import { MAX_CONTINUATION_TOKEN_LENGTH, resolvePageLink } from "../../../src/core/paging.js";
import { DEFAULT_NOT_FOUND_GRACE_IN_MS } from "../../../src/core/waiter.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../../src/testing/index.js";
import { startServer, TOKEN, type TestServer } from "../policies/support.js";
import { assertSecretFree } from "./support.js";

/** A query value that stands for whatever a page link's query may carry; never in an error. */
const QUERY_SECRET = "QUERYSECRET42";

/** Tags, 2 a page, with absolute next links on the server's own origin (as DigitalOcean's are). */
function tagPages(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const page = Number(url.searchParams.get("page") ?? 1);
  const tags = [{ name: `p${page}a` }, { name: `p${page}b` }];
  const next = page < 3 ? `http://${req.headers.host}${url.pathname}?page=${page + 1}&per_page=2` : undefined;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ tags, snapshots: tags, links: next ? { pages: { next } } : {}, meta: { total: 6 } }));
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail("resolved"),
    (error: unknown) => error,
  );
}

/** A refusal as the issue defines it: InvalidTokenError, kind "continuation", short, naming the token, echoing nothing of it. */
function assertRefused(error: unknown, token: unknown, name: RegExp): void {
  assert.ok(error instanceof InvalidTokenError, `${inspect(token).slice(0, 80)}: got ${String(error)}`);
  assert.ok(error instanceof TsdoError);
  assert.equal(error.name, "InvalidTokenError");
  assert.equal(error.kind, "continuation");
  assert.match(error.message, name);
  assert.ok(error.message.length < 300, `${error.message.length} characters`);
  assert.ok(!error.message.includes(QUERY_SECRET) && !error.message.includes("evil"), error.message);
  assertSecretFree(error, [TOKEN, QUERY_SECRET]);
}

describe("hardening: continuation tokens and links.pages.next", () => {
  let api: TestServer;
  let other: TestServer;
  let client: DigitalOceanClient;
  beforeEach(async () => {
    api = await startServer(tagPages);
    other = await startServer(tagPages);
    client = new DigitalOceanClient(TOKEN, { endpoint: api.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
  });
  afterEach(async () => {
    await client.close();
    await api.close();
    await other.close();
  });

  it("refuses, before any request, a token that leaves the endpoint's origin or the list's path (45 forgeries)", async () => {
    const port = api.port;
    const forged: unknown[] = [
      // another origin: port, host name, scheme, IPv6, userinfo, fragment tricks
      `${other.url}/v2/tags?page=2&per_page=2`,
      `http://localhost:${port}/v2/tags?page=2`,
      `https://127.0.0.1:${port}/v2/tags?page=2`,
      `http://[::1]:${port}/v2/tags?page=2`,
      `http://0x7f.0.0.1:${other.port}/v2/tags?page=2`,
      `http://user@127.0.0.1:${port}/v2/tags?page=2`,
      `http://user:pw@127.0.0.1:${port}/v2/tags?page=2`,
      `http://127.0.0.1:${port}@127.0.0.1:${other.port}/v2/tags?page=2`,
      `http://127.0.0.1:${other.port}#@127.0.0.1:${port}/v2/tags`,
      `http://127.0.0.1:${port}%2f@evil.example/v2/tags`,
      `http://127.0.0.1:${port}.evil.example/v2/tags`,
      // non-special schemes and scheme-relative forms
      `x:${port}/v2/tags`,
      `x::${other.port}/v2/tags`,
      "x:.evil.example",
      "javascript:alert(1)",
      `//127.0.0.1:${other.port}/v2/tags`,
      `\\\\127.0.0.1:${other.port}\\v2\\tags`,
      `/\\127.0.0.1:${other.port}/v2/tags`,
      `http:\\\\127.0.0.1:${other.port}/v2/tags`,
      `http:127.0.0.1:${other.port}/v2/tags`,
      `http:/127.0.0.1:${other.port}/v2/tags`,
      "v2/tags?page=2",
      "?page=2",
      api.url,
      // another list, another path, dot segments plain and encoded, encoded slashes
      `${api.url}/v2/droplets?page=2`,
      `${api.url}/admin`,
      "/admin",
      "/v2/tags/../admin",
      "/v2/tags/..",
      "/v2/tags/./",
      "/v2/%2e%2e/admin",
      "/v2/tags/%2E%2E",
      "/v2/tags/.%2e/x",
      "/v2/tags/%252e%252e",
      "/v2/tags%2f..%2fadmin",
      "/v2/tags/",
      "/v2//tags",
      "/v2/tags/%ZZ",
      "/v2/tags#/../admin",
      // whitespace, controls, non-ASCII look-alikes
      "/v2/ta\tgs?page=2",
      "/v2/tags\n?page=2",
      " /v2/tags?page=2",
      "/v2/t\u0430gs?page=2",
      `http://127.0.0.1:${port}\uff0fv2/tags`,
      "/v2/tags?page=2\u0000",
    ];
    assert.equal(forged.length, 45);
    for (const token of forged) {
      const error = await rejection(collect(client.tags.list().byPage({ continuationToken: `${String(token)}${String(token).includes("?") ? "&" : "?"}q=${QUERY_SECRET}` })));
      assertRefused(error, token, /^byPage: the continuationToken /);
    }
    assert.equal(api.requests.length + other.requests.length, 0, "nothing was sent anywhere");
  });

  it("refuses a 5 MB token, garbage and non-strings at once, with a short message", async () => {
    const huge = `/v2/tags?page=2&x=${QUERY_SECRET}${"a".repeat(5 * 2 ** 20)}`;
    const started = process.hrtime.bigint();
    const error = await rejection(collect(client.tags.list().byPage({ continuationToken: huge })));
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assertRefused(error, "5 MB", new RegExp(`longer than ${MAX_CONTINUATION_TOKEN_LENGTH} characters`));
    assert.ok(elapsedMs < 2000, `${elapsedMs} ms`);
    const garbage = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 256)).toString("latin1");
    for (const token of [garbage, "", 42, {}, ["/v2/tags"]]) {
      assertRefused(await rejection(collect(client.tags.list().byPage({ continuationToken: token as string }))), token, /continuationToken/);
    }
    assert.equal(api.requests.length, 0);
  });

  it("follows a token of the list itself, in any spelling of the endpoint's origin, and sends the list's own path", async () => {
    const tokens = [
      `${api.url}/v2/tags?page=2&per_page=2`,
      "/v2/tags?page=2&per_page=2",
      `HTTP://127.0.0.1:${api.port}/v2/tags?page=2&per_page=2`,
      "/v2/%74ags?page=2&per_page=2",
    ];
    for (const continuationToken of tokens) {
      const pages = await collect(client.tags.list().byPage({ continuationToken }));
      assert.deepEqual(pages.map((page) => page.tags?.map((tag) => tag.name)), [["p2a", "p2b"], ["p3a", "p3b"]], continuationToken);
    }
    assert.deepEqual(api.requests.map((request) => request.url), tokens.flatMap(() => ["/v2/tags?page=2&per_page=2", "/v2/tags?page=3&per_page=2"]));
  });

  it("refuses a token of the same list with other path values (another droplet's snapshots)", async () => {
    const walk = client.droplets.listSnapshots(1).byPage();
    const token = (await walk.next()).value!.continuationToken!;
    await walk.return();
    assert.equal(token, `${api.url}/v2/droplets/1/snapshots?page=2&per_page=2`);
    assertRefused(await rejection(collect(client.droplets.listSnapshots(2).byPage({ continuationToken: token }))), token, /is not a page of this list/);
    assert.equal((await collect(client.droplets.listSnapshots(1).byPage({ continuationToken: token }))).length, 2);
    assert.equal(api.requests.length, 1 + 2);
  });

  it("keeps a gateway's path prefix: path-only links may leave it out, absolute links must carry it", async () => {
    const gateway = new DigitalOceanClient(TOKEN, { endpoint: `${api.url}/gw`, allowInsecureConnection: true });
    try {
      for (const continuationToken of ["/v2/tags?page=3", "/gw/v2/tags?page=3", `${api.url}/gw/v2/tags?page=3`]) {
        assert.equal((await collect(gateway.tags.list().byPage({ continuationToken }))).length, 1);
      }
      assertRefused(await rejection(collect(gateway.tags.list().byPage({ continuationToken: `${api.url}/v2/tags?page=3` }))), "outside the prefix", /not a page of this list/);
      assert.deepEqual(api.requests.map((request) => request.url), ["/gw/v2/tags?page=3", "/gw/v2/tags?page=3", "/gw/v2/tags?page=3"]);
    } finally {
      await gateway.close();
    }
  });

  it("allowCrossOriginAuth does not widen what a token may name", async () => {
    const widened = new DigitalOceanClient(TOKEN, { endpoint: api.url, allowInsecureConnection: true, allowCrossOriginAuth: true });
    try {
      assertRefused(await rejection(collect(widened.tags.list().byPage({ continuationToken: `${other.url}/v2/tags?page=2` }))), "other port", /another origin/);
      assert.equal(api.requests.length + other.requests.length, 0);
    } finally {
      await widened.close();
    }
  });

  describe("a server's links.pages.next that fails the check", () => {
    const hostile = (next: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ tags: [{ name: "a" }, { name: "b" }], links: { pages: { next } }, meta: { total: 4 } }));
    };
    const links = (otherUrl: string): unknown[] => [`${otherUrl}/v2/tags?page=2&t=${QUERY_SECRET}`, "x:.evil.example", "/v2/tags/../admin", 42, { href: "/v2/tags?page=2" }];

    it("hands over the page, then refuses the walk: nothing silently dropped, nothing sent", async () => {
      for (const next of links(other.url)) {
        await api.close();
        api = await startServer(hostile(next));
        const walking = new DigitalOceanClient(TOKEN, { endpoint: api.url, allowInsecureConnection: true });
        try {
          const pages = walking.tags.list().byPage();
          const first = await pages.next();
          assert.deepEqual(first.value?.tags, [{ name: "a" }, { name: "b" }], "the page the server sent is handed over");
          // A job that checkpoints the token must not read the refused link as "last page".
          assertRefused(rejectionOf(() => first.value?.continuationToken), next, /^The server's links\.pages\.next /);
          assert.deepEqual(Object.keys(first.value!), ["tags", "links", "meta"], "the page still serializes as sent");
          assertRefused(await rejection(pages.next()), next, /links\.pages\.next/);
          // Iterating items: the first page's items, then the same error.
          const items: string[] = [];
          const error = await rejection(
            (async () => {
              for await (const tag of walking.tags.list()) items.push(tag.name!);
            })(),
          );
          assertRefused(error, next, /links\.pages\.next/);
          assert.deepEqual(items, ["a", "b"]);
          await assert.rejects(walking.tags.list().toArray(), InvalidTokenError);
          assert.equal(api.requests.length, 3, "one page per walk, never the link");
        } finally {
          await walking.close();
        }
      }
      assert.equal(other.requests.length, 0);
    });

    it("ends the walk on an absent, null or empty link", async () => {
      for (const next of [undefined, null, ""]) {
        await api.close();
        api = await startServer(hostile(next));
        const walking = new DigitalOceanClient(TOKEN, { endpoint: api.url, allowInsecureConnection: true });
        try {
          const pages = await collect(walking.tags.list().byPage());
          assert.equal(pages.length, 1);
          assert.equal(pages[0]!.continuationToken, undefined);
        } finally {
          await walking.close();
        }
      }
    });
  });

  it("checkTokenPageSize shows the token's per_page only when it is a page size", async () => {
    const error = (await rejection(collect(client.tags.list().byPage({ continuationToken: `/v2/tags?page=2&per_page=${QUERY_SECRET}`, maxPageSize: 2 })))) as Error;
    assert.ok(error instanceof RangeError);
    assert.match(error.message, /made with per_page=\(not a page size\); resuming with maxPageSize 2/);
    assert.equal(api.requests.length, 0);
  });

  describe("resolvePageLink: origins compared after URL normalization", () => {
    it("takes the default port spelled out, an upper-case host and another spelling of an IPv6 literal as the same origin", () => {
      assert.equal(resolvePageLink("HTTPS://API.DigitalOcean.com:443/v2/droplets?page=2", "links.pages.next", "https://api.digitalocean.com/v2/droplets?per_page=2", ""), "https://api.digitalocean.com/v2/droplets?page=2");
      assert.equal(resolvePageLink("http://[0:0::1]:8080/v2/droplets?page=2", "continuationToken", "http://[::1]:8080/v2/droplets", ""), "http://[::1]:8080/v2/droplets?page=2");
      assert.throws(() => resolvePageLink("https://api.digitalocean.com:8443/v2/droplets", "links.pages.next", "https://api.digitalocean.com/v2/droplets", ""), InvalidTokenError);
      assert.throws(() => resolvePageLink("https://api.digitalocean.com.evil.example/v2/droplets", "links.pages.next", "https://api.digitalocean.com/v2/droplets", ""), InvalidTokenError);
      assert.throws(() => resolvePageLink("http://api.digitalocean.com/v2/droplets", "links.pages.next", "https://api.digitalocean.com/v2/droplets", ""), InvalidTokenError);
    });

    it("holds a list to the base URL its operation uses (another server, e.g. the inference host)", () => {
      const list = "https://inference.do-ai.run/v1/models";
      assert.equal(resolvePageLink("https://inference.do-ai.run/v1/models?page=2", "links.pages.next", list, ""), `${list}?page=2`);
      assert.throws(() => resolvePageLink("https://api.digitalocean.com/v1/models?page=2", "links.pages.next", list, ""), /another origin/);
    });
  });
});

function rejectionOf(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return assert.fail("did not throw");
}

describe("hardening: poller tokens", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  let sent = 0;
  before(async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual", onExecute: () => void sent++ });
    client = createTestClient(fake, { retryOptions: { maxRetries: 0 } });
  });
  beforeEach(() => {
    sent = 0;
  });
  afterEach(() => fake.reset());
  after(async () => {
    await client.close();
    await fake.close();
  });

  const forge = (data: unknown, prefix = "tsdo.poller.v2."): string => prefix + Buffer.from(JSON.stringify(data)).toString("base64url");
  const valid = (fields: Record<string, unknown> = {}) => forge({ n: "droplet", i: [7], c: fake.clock.now(), e: client.endpoint, ...fields });

  function refusal(token: unknown): InvalidTokenError {
    let caught: unknown;
    try {
      client.resumePoller(token as string);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof InvalidTokenError, `${String(token).slice(0, 120)}: got ${String(caught)}`);
    assert.equal(caught.kind, "poller");
    assert.equal(caught.name, "InvalidTokenError");
    assert.match(caught.message, /^resumePoller: /);
    assert.ok(caught.message.length < 300, `${caught.message.length} characters`);
    assert.ok(!caught.message.includes(QUERY_SECRET), caught.message);
    return caught;
  }

  it("a poller's own token resumes; it records the endpoint it was made on", async () => {
    const poller = client.pollers.kubernetesCluster(client.kubernetes.createCluster({ name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "w", size: "s-2vcpu-4gb", count: 1 }] }));
    const token = await poller.serialize();
    assert.match(token, /^tsdo\.poller\.v2\./);
    assert.equal(JSON.parse(Buffer.from(token.slice("tsdo.poller.v2.".length), "base64url").toString()).e, client.endpoint);
    assert.equal((await client.resumePoller(token).poll()).status, "running");
  });

  it("refuses a 100,000-id token at once, with a short message, and one with the wrong id count", () => {
    const huge = forge({ n: "droplet", i: Array.from({ length: 100_000 }, (_, i) => i + 1), c: 1, e: client.endpoint });
    const started = process.hrtime.bigint();
    const error = refusal(huge);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
    assert.match(error.message, /longer than 4096 characters/);
    assert.match(refusal(valid({ i: [1, 2, 3] })).message, /a droplet token holds 1 id\(s\); this one holds 3/);
    assert.match(refusal(valid({ n: "nodePool", i: ["c"] })).message, /a nodePool token holds 2 id\(s\); this one holds 1/);
    assert.match(refusal(valid({ i: "7" })).message, /holds none/);
    assert.equal(sent, 0);
  });

  it("refuses ids with path characters, empty or odd ids, and numbers that are not positive safe integers", () => {
    const bad: unknown[] = ["../admin", "..", ".", "a/b", "%2e%2e", "%2F", "a?b=1", "a#b", "a\\b", " a", "a b", "a\tb", "a\nb", "a\u0000", "", ".a", "a.", "a..b", "é", "x".repeat(256), 0, -1, 1.5, 2 ** 53, null, true, {}, [1]];
    for (const id of bad) refusal(valid({ n: "nodePool", i: ["c1", id] }));
    for (const id of bad) refusal(valid({ i: [id] }));
    // What real ids look like still resumes.
    for (const ids of [[7], ["3a1b2c3d-aaaa-bbbb-cccc-0123456789ab"]]) client.resumePoller(valid({ n: ids[0] === 7 ? "droplet" : "volume", i: ids }));
    client.resumePoller(valid({ n: "databaseReplica", i: ["3a1b2c3d-aaaa-bbbb-cccc-0123456789ab", "read-nyc3.01"] }));
    assert.equal(sent, 0);
  });

  it("refuses a token made on another endpoint, one that names none (tsdo.poller.v1.) and damaged ones", async () => {
    const elsewhere = createTestClient({ ...fake, url: "http://127.0.0.1:1" });
    try {
      const made = valid();
      assert.throws(() => elsewhere.resumePoller(made), (error: InvalidTokenError) => error instanceof InvalidTokenError && /made on another endpoint/.test(error.message));
    } finally {
      await elsewhere.close();
    }
    assert.match(refusal(valid({ e: undefined })).message, /another endpoint/);
    assert.match(refusal(forge({ n: "droplet", i: [7], c: 1 }, "tsdo.poller.v1.")).message, /names no endpoint/);
    const damaged: unknown[] = [
      "",
      42,
      "tsdo.poller.v2.",
      "tsdo.poller.v2.e30",
      `tsdo.poller.v2.${"!".repeat(20)}`,
      `tsdo.poller.v2.${Buffer.from("null").toString("base64url")}`,
      `tsdo.poller.v2.${Buffer.from("[1]").toString("base64url")}`,
      forge({ n: "nope", i: [1], c: 1, e: client.endpoint }),
      forge({ n: "__proto__", i: [1], c: 1, e: client.endpoint }),
      valid({ c: "soon" }),
      valid({ c: -1 }),
      valid({ c: null }),
      valid({ extra: QUERY_SECRET }),
      `tsdo.poller.v2.${QUERY_SECRET}${"A".repeat(5 * 2 ** 20)}`,
    ];
    for (const token of damaged) refusal(token);
    assert.equal(sent, 0);
  });

  it("a creation time in the future does not stretch the 404 grace: at most DEFAULT_NOT_FOUND_GRACE_IN_MS from resume", async () => {
    const token = valid({ i: [424242], c: fake.clock.now() + 10 * 60_000 });
    // poll(): a 404 is "running" inside the grace, the 404 itself once it is over.
    const polled = client.resumePoller(token);
    assert.equal((await polled.poll()).status, "running");
    await fake.clock.advance(DEFAULT_NOT_FOUND_GRACE_IN_MS + 1000);
    await assert.rejects(polled.poll(), NotFoundError);
    // pollUntilDone(): WaitFailedError once the grace (from resume) is over, not ten minutes on.
    const controller = new AbortController();
    let outcome: unknown = "pending";
    const done = client
      .resumePoller(token)
      .pollUntilDone({ abortSignal: controller.signal })
      .then(
        () => "resolved",
        (error: unknown) => error,
      )
      .then((value) => (outcome = value));
    await fake.clock.advance(2 * DEFAULT_NOT_FOUND_GRACE_IN_MS);
    controller.abort();
    await done;
    assert.ok(outcome instanceof WaitFailedError, `got ${String(outcome)}`);
    assert.equal(outcome.state, "not_found");
  });
});
