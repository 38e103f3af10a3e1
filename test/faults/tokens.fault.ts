import assert from "node:assert/strict";
import { DigitalOceanClient, InvalidTokenError, WaitFailedError } from "../../src/index.js";
import { DEFAULT_NOT_FOUND_GRACE_IN_MS } from "../../src/core/waiter.js";
import { createTestClient, startFakeDigitalOcean } from "../../src/testing/index.js";
import { n, scenario } from "./results.js";
import { httpServer, httpServersClosedAfterEach, json } from "./servers.js";

const GROUP = "Tokens";
const TOKEN = "dop_v1_faultsuiteSECRETTOKEN0123456789abcdef0123456789abcdef01234567";

/** Runs `attempt` and returns its InvalidTokenError, with the time it took to be refused. */
async function refused(attempt: () => unknown): Promise<{ error: InvalidTokenError; ms: number }> {
  const started = process.hrtime.bigint();
  let caught: unknown;
  try {
    await attempt();
  } catch (error) {
    caught = error;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(caught instanceof InvalidTokenError, `got ${String(caught)}`);
  assert.ok(caught.message.length < 300);
  assert.ok(!caught.message.includes("SECRET"));
  return { error: caught, ms };
}

async function walk(pages: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of pages);
}

describe("fault suite: forged paging and poller tokens", () => {
  const serve = httpServersClosedAfterEach();
  const pages = (request: Parameters<Parameters<typeof httpServer>[0]>[0], response: Parameters<Parameters<typeof httpServer>[0]>[1]) =>
    json(response, 200, { tags: [{ name: "a" }], links: { pages: { next: `http://${request.headers.host}/v2/tags?page=2` } }, meta: { total: 2 } });
  const clientOf = (url: string): DigitalOceanClient => new DigitalOceanClient(TOKEN, { endpoint: url, allowInsecureConnection: true, allowCrossOriginAuth: true, retryOptions: { maxRetries: 0 } });

  scenario(GROUP, "forged continuationTokens (another port, host suffix, non-special scheme, ../, %2e%2e, //host, \\\\host, userinfo, another list) are refused before any request", async (row) => {
    const api = await serve(pages);
    const other = await serve(pages);
    const client = clientOf(api.url);
    const [apiPort, otherPort] = [api.url, other.url].map((url) => new URL(url).port);
    const forged = [
      `${other.url}/v2/tags?page=2`,
      `x::${otherPort}/v2/tags`,
      "x:.evil.example",
      "javascript:alert(1)",
      "/v2/tags/../admin",
      "/v2/%2e%2e/admin",
      "/v2/tags/%252e%252e",
      `//127.0.0.1:${otherPort}/v2/tags`,
      `\\\\127.0.0.1:${otherPort}\\v2\\tags`,
      `http://user@127.0.0.1:${apiPort}/v2/tags`,
      `${api.url}/v2/droplets?page=2`,
      "/v2/ta\tgs",
    ];
    let longestMessage = 0;
    let slowest = 0;
    for (const continuationToken of forged) {
      const { error, ms } = await refused(() => walk(client.tags.list().byPage({ continuationToken })));
      longestMessage = Math.max(longestMessage, error.message.length);
      slowest = Math.max(slowest, ms);
    }
    await client.close();
    assert.equal(api.received() + other.received(), 0);
    row.requests = api.received() + other.received();
    row.faults = `${forged.length} forged tokens, allowCrossOriginAuth on`;
    row.figure = `${forged.length} InvalidTokenErrors, 0 requests; longest message ${longestMessage} chars; slowest ${slowest.toFixed(1)} ms`;
  });

  scenario(GROUP, "a 5 MB continuationToken is refused at once, its text not echoed", async (row) => {
    const api = await serve(pages);
    const client = clientOf(api.url);
    const { error, ms } = await refused(() => walk(client.tags.list().byPage({ continuationToken: `/v2/tags?page=2&q=SECRET${"a".repeat(5 * 2 ** 20)}` })));
    await client.close();
    assert.equal(api.received(), 0);
    row.requests = api.received();
    row.faults = "5 MiB token";
    row.figure = `InvalidTokenError in ${ms.toFixed(1)} ms, 0 requests, message ${error.message.length} chars`;
  });

  scenario(GROUP, "a server's links.pages.next to another port: the page is handed over, then the walk is refused", async (row) => {
    const other = await serve(pages);
    const api = await serve((_request, response) => json(response, 200, { tags: [{ name: "a" }], links: { pages: { next: `${other.url}/v2/tags?page=2` } } }));
    const client = clientOf(api.url);
    const items: string[] = [];
    const { error } = await refused(async () => {
      for await (const tag of client.tags.list()) items.push(tag.name!);
    });
    await client.close();
    assert.deepEqual(items, ["a"]);
    assert.match(error.message, /links\.pages\.next/);
    assert.equal(other.received(), 0);
    row.requests = api.received() + other.received();
    row.faults = "next link on another port";
    row.figure = `1 page's items, then InvalidTokenError; ${other.received()} requests at the other port`;
  });

  scenario(GROUP, "forged poller tokens (100,000 ids, path characters in ids, another endpoint, damaged) are refused before the first poll", async (row) => {
    const fake = await startFakeDigitalOcean({ clock: "virtual" });
    const client = createTestClient(fake);
    const forge = (data: object): string => `tsdo.poller.v2.${Buffer.from(JSON.stringify({ n: "droplet", i: [7], c: 1, e: client.endpoint, ...data })).toString("base64url")}`;
    const hundredThousand = forge({ i: Array.from({ length: 100_000 }, (_, i) => i + 1) });
    const forged = [hundredThousand, forge({ i: ["../account"] }), forge({ i: ["%2e%2e"] }), forge({ i: ["7?x=1"] }), forge({ i: [-1] }), forge({ e: "http://127.0.0.1:1" }), forge({ c: "soon" }), "tsdo.poller.v2.!!", "tsdo.poller.v1.e30"];
    let longestMessage = 0;
    let slowest = 0;
    try {
      for (const token of forged) {
        const { error, ms } = await refused(() => client.resumePoller(token));
        assert.equal(error.kind, "poller");
        longestMessage = Math.max(longestMessage, error.message.length);
        slowest = Math.max(slowest, ms);
      }
      assert.equal(Object.values(fake.executionCounts()).reduce((sum, count) => sum + count, 0), 0);
    } finally {
      await client.close();
      await fake.close();
    }
    row.faults = `${forged.length} forged tokens (the largest ${n(hundredThousand.length)} chars)`;
    row.figure = `${forged.length} InvalidTokenErrors, 0 requests; longest message ${longestMessage} chars; slowest ${slowest.toFixed(1)} ms`;
  });

  scenario(GROUP, "a poller token created ten minutes in the future: a 404 fails the wait after the normal grace, not ten minutes", async (row) => {
    const fake = await startFakeDigitalOcean({ clock: "virtual" });
    const client = createTestClient(fake);
    try {
      const resumedAt = fake.clock.now();
      const token = `tsdo.poller.v2.${Buffer.from(JSON.stringify({ n: "droplet", i: [424242], c: resumedAt + 10 * 60_000, e: client.endpoint })).toString("base64url")}`;
      let failedAt: number | undefined;
      const done = client
        .resumePoller(token)
        .pollUntilDone()
        .catch((error: unknown) => {
          assert.ok(error instanceof WaitFailedError && error.state === "not_found", String(error));
          failedAt = fake.clock.now();
        });
      await fake.clock.advance(2 * DEFAULT_NOT_FOUND_GRACE_IN_MS);
      await done;
      assert.ok(failedAt !== undefined && failedAt - resumedAt <= 2 * DEFAULT_NOT_FOUND_GRACE_IN_MS);
      row.requests = fake.executionCount("droplets_get");
      row.faults = "createdAt +10 min, resource 404";
      row.figure = `WaitFailedError (not_found) ${((failedAt! - resumedAt) / 1000).toFixed(0)} s (virtual) after resume; grace ${DEFAULT_NOT_FOUND_GRACE_IN_MS / 1000} s`;
    } finally {
      await client.close();
      await fake.close();
    }
  });
});
