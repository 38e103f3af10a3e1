import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { IncomingMessage } from "node:http";
import { DigitalOceanError, RedirectError } from "../../../src/core/errors.js";
import { DigitalOceanClient } from "../../../src/index.js";
import { rejection, request, send, startServer, testPipeline, TOKEN, type TestServer } from "../policies/support.js";
import { assertSecretFree } from "./support.js";

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A loopback server that records what it receives (body included) and answers as `answer` says. */
async function recorder(answer: (seen: Seen, index: number) => [number, Record<string, string>?]): Promise<TestServer & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await startServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(entry);
      const [status, headers] = answer(entry, seen.length - 1);
      res.writeHead(status, headers);
      res.end(status === 200 ? '{"ok":true}' : "");
    });
  });
  return Object.assign(server, { seen });
}

describe("hardening: redirects", () => {
  let other: TestServer & { seen: Seen[] };
  let api: TestServer & { seen: Seen[] };
  // `localhost` and `127.0.0.1` are two origins on one machine.
  const otherUrl = () => `http://localhost:${other.port}`;
  before(async () => {
    other = await recorder(() => [200]);
    api = await recorder((seen) => {
      const code = Number(/\/redirect\/(\d+)/.exec(seen.url ?? "")?.[1] ?? 0);
      if (code === 0) return [200];
      const where = seen.url?.includes("same") ? "/v2/landed" : `${otherUrl()}/v2/landed`;
      return [code, { location: where }];
    });
  });
  after(async () => {
    await other.close();
    await api.close();
  });
  beforeEach(() => {
    other.seen.length = 0;
    api.seen.length = 0;
  });

  const secretHeaders = { "x-gateway-secret": "GW-SECRET", "content-type": "application/json", accept: "application/json" };

  for (const status of [307, 308]) {
    it(`refuses a cross-origin ${status} of a POST with a body (defect 2): RedirectError, nothing reaches the other origin`, async () => {
      const error = await rejection(
        send(testPipeline(api.url), request(`${api.url}/v2/redirect/${status}`, { method: "POST", body: '{"user_data":"SECRET"}', headers: secretHeaders })),
      );
      assert.ok(error instanceof RedirectError, `got ${error.name}: ${error.message}`);
      assert.equal((error as RedirectError).statusCode, status);
      assert.match(error.message, new RegExp(`to http://localhost:${other.port}: it would send the request body`));
      assert.equal(other.seen.length, 0);
    });
  }

  it("follows it with redirectOptions.allowCrossOriginBody, stripping every non-safelisted header", async () => {
    const pipeline = testPipeline(api.url, { redirectOptions: { allowCrossOriginBody: true } });
    const response = await send(pipeline, request(`${api.url}/v2/redirect/307`, { method: "POST", body: '{"a":1}', headers: secretHeaders }));
    assert.equal(response.status, 200);
    const [landed] = other.seen;
    assert.equal(landed?.method, "POST");
    assert.equal(landed?.body, '{"a":1}');
    assert.equal(landed?.headers["content-type"], "application/json");
    assert.equal(landed?.headers["x-gateway-secret"], undefined);
    assert.equal(landed?.headers.authorization, undefined);
  });

  it("strips non-safelisted headers on any cross-origin hop (a GET's too), and keeps them on a same-origin one", async () => {
    await send(testPipeline(api.url), request(`${api.url}/v2/redirect/302`, { headers: secretHeaders }));
    assert.equal(other.seen[0]?.headers["x-gateway-secret"], undefined);
    assert.equal(other.seen[0]?.headers.accept, "application/json");
    assert.match(String(other.seen[0]?.headers["user-agent"]), /tsdo/);
    await send(testPipeline(api.url), request(`${api.url}/v2/redirect/307/same`, { method: "POST", body: "{}", headers: secretHeaders }));
    const landed = api.seen.at(-1);
    assert.equal(landed?.url, "/v2/landed");
    assert.equal(landed?.method, "POST");
    assert.equal(landed?.headers["x-gateway-secret"], "GW-SECRET");
    assert.match(String(landed?.headers.authorization), /^Bearer /);
  });

  it("follows a GET answered 308 (defect 11), and 301, 302, 303, 307", async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const response = await send(testPipeline(api.url), request(`${api.url}/v2/redirect/${status}/same`));
      assert.equal(response.status, 200, `after ${status}`);
    }
    assert.deepEqual(
      api.seen.filter((seen) => seen.url === "/v2/landed").map((seen) => seen.method),
      ["GET", "GET", "GET", "GET", "GET"],
    );
  });

  it("turns a POST into a body-less GET after 303 (which may then cross origins)", async () => {
    await send(testPipeline(api.url), request(`${api.url}/v2/redirect/303`, { method: "POST", body: '{"a":1}', headers: secretHeaders }));
    assert.equal(other.seen[0]?.method, "GET");
    assert.equal(other.seen[0]?.body, "");
    assert.equal(other.seen[0]?.headers["content-type"], undefined);
  });

  it("maxRedirects: 0 follows none: a redirect rejects with RedirectError; a negative limit is refused", async () => {
    const pipeline = testPipeline(api.url, { redirectOptions: { maxRedirects: 0 } });
    const error = await rejection(send(pipeline, request(`${api.url}/v2/redirect/302/same`)));
    assert.ok(error instanceof RedirectError, `got ${error.name}: ${error.message}`);
    assert.equal(api.seen.length, 1);
    assert.throws(() => testPipeline(api.url, { redirectOptions: { maxRedirects: -1 } }), RangeError);
  });
});

describe("hardening: redirects a hostile server sends", () => {
  let server: TestServer;
  let location: (url: string) => string;
  before(async () => {
    server = await startServer((req, res) => {
      req.resume();
      const where = location(req.url ?? "/");
      res.writeHead(302, { location: where, "content-type": "text/html" }).end(`<a href="${where}">moved</a>`);
    });
  });
  after(() => server.close());
  beforeEach(() => (server.requests.length = 0));

  /** A same-origin chain that never ends, its Location carrying secrets in the query. */
  const endless = (url: string) => `/v2/hop/${Number(/\/hop\/(\d+)/.exec(url)?.[1] ?? 0) + 1}?token=QUERY-SECRET&X-Amz-Signature=SIG-SECRET&code=CODE-SECRET`;

  for (const [limit, options] of [[5, {}], [2, { redirectOptions: { maxRedirects: 2 } }]] as const) {
    it(`more hops than the limit (${limit}) → RedirectError naming the count, not the 3xx as an answer`, async () => {
      location = endless;
      const error = await rejection(send(testPipeline(server.url, options), request(`${server.url}/v2/hop/0`)));
      assert.ok(error instanceof RedirectError, `got ${error.name}: ${error.message}`);
      assert.equal(server.requests.length, limit + 1, "the first request and one per hop allowed");
      assert.equal(error.statusCode, 302);
      assert.match(error.message, new RegExp(`more than ${limit} redirects`));
      assert.ok(error.message.length < 300, error.message);
      // Not in the message, nor in the kept request (its URL is the last Location) or response (headers, body).
      assertSecretFree(error, ["QUERY-SECRET", "SIG-SECRET", "CODE-SECRET", TOKEN]);
      assert.match(String(error.response?.headers.get("location")), /^\/v2\/hop\/\d+$/);
    });
  }

  it("an operation gets RedirectError too, not a DigitalOceanError with status 302", async () => {
    location = endless;
    const client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true, redirectOptions: { maxRedirects: 1 } });
    const error = await rejection(client.droplets.get(1));
    assert.ok(error instanceof RedirectError, `got ${error.name}: ${error.message}`);
    assert.ok(!(error instanceof DigitalOceanError));
    assertSecretFree(error, ["QUERY-SECRET", "SIG-SECRET", TOKEN]);
    await client.close();
  });

  it("a message stays short whatever the length of the path or host a Location names", async () => {
    for (const where of [`/v2/${"a".repeat(5000)}`, `http://${"b".repeat(250)}.${"c".repeat(250)}.test/`]) {
      location = (url) => (url === "/v2/start" ? where : "/v2/start");
      const pipeline = testPipeline(server.url, { redirectOptions: { maxRedirects: 1 } });
      const error = await rejection(send(pipeline, request(`${server.url}/v2/start`, { method: "PUT", body: "{}" })));
      assert.ok(error instanceof RedirectError, `got ${error.name}: ${error.message}`);
      assert.ok(error.message.length < 300, `${error.message.length} characters: ${error.message}`);
    }
  });

  for (const bad of ["http://[::1", "https://a b/?token=QUERY-SECRET", "http://256.256.256.256/", "http://exa mple.test/", "http://x:99999/", "https://%zz/"]) {
    it(`an unparsable Location (${JSON.stringify(bad.replace("QUERY-SECRET", "…"))}) → RedirectError, not a bare TypeError`, async () => {
      location = () => bad;
      const error = await rejection(send(testPipeline(server.url), request(`${server.url}/v2/start`)));
      assert.ok(error instanceof RedirectError, `got ${error.name}: ${error.message}`);
      assert.equal(error.statusCode, 302);
      assert.match(error.message, /not a valid URL/);
      assert.ok(!error.message.includes(bad), "the Location is not echoed");
      assert.equal(server.requests.length, 1);
      assertSecretFree(error, ["QUERY-SECRET", TOKEN]);
    });
  }

  for (const bad of ["file:///etc/passwd", "javascript:alert(1)", "data:text/plain,x", "ftp://127.0.0.1/x", "ws://127.0.0.1/x"]) {
    it(`a Location that is not http(s) (${bad.split(":")[0]}:) → RedirectError, nothing sent there`, async () => {
      location = () => bad;
      const error = await rejection(send(testPipeline(server.url), request(`${server.url}/v2/start`)));
      assert.ok(error instanceof RedirectError, `got ${error.name}: ${error.message}`);
      assert.match(error.message, /not an http or https URL/);
      assert.equal(server.requests.length, 1);
    });
  }
});

describe("hardening: a proxy is chosen per hop (defect 6)", () => {
  const script = require.resolve("./proxyScenario.js");
  async function scenario(nextScheme: string, nextHost: string, noProxy: string): Promise<{ seen: string[]; outcome: string; targetPort: number }> {
    const env = { ...process.env, NO_PROXY: noProxy, no_proxy: noProxy, HTTP_PROXY: "", HTTPS_PROXY: "", ALL_PROXY: "" };
    const { stdout } = await promisify(execFile)(process.execPath, [script, nextScheme, nextHost], { env, timeout: 8000 });
    return JSON.parse(stdout) as { seen: string[]; outcome: string; targetPort: number };
  }

  it("an https hop after an http one goes through a CONNECT tunnel, not a plaintext forward request", async () => {
    const { seen, targetPort } = await scenario("https", "127.0.0.1", "");
    assert.deepEqual(seen, ["proxy GET http://127.0.0.1:1/v2/start", `proxy CONNECT 127.0.0.1:${targetPort}`]);
  });

  it("NO_PROXY is checked for each hop: a redirect to a bypassed host goes direct", async () => {
    const { seen, outcome } = await scenario("http", "localhost", "localhost");
    assert.deepEqual(seen, ["proxy GET http://127.0.0.1:1/v2/start", "direct GET /v2/next"]);
    assert.equal(outcome, "200");
  });
});
