import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import assert from "node:assert/strict";
import nock from "nock";
import { useNock } from "../../support/nock.js";
import { InsecureConnectionError } from "../../../src/core/errors.js";
import { isLoopback } from "../../../src/pipeline/bearerAuthPolicy.js";
import { rejection, request, send, startServer, testPipeline, TOKEN, type TestServer } from "./support.js";

/** A TokenCredential that records its calls and hands out tokens valid for `lifetimeInMs`. */
function fakeCredential(lifetimeInMs: number): TokenCredential & { calls: Array<{ scopes: string | string[]; options?: GetTokenOptions }> } {
  const calls: Array<{ scopes: string | string[]; options?: GetTokenOptions }> = [];
  return {
    calls,
    async getToken(scopes, options): Promise<AccessToken> {
      calls.push({ scopes, options });
      return { token: `${TOKEN}-${calls.length}`, expiresOnTimestamp: Date.now() + lifetimeInMs };
    },
  };
}

describe("bearerAuthPolicy", () => {
  const servers: TestServer[] = [];
  async function serve(handler: Parameters<typeof startServer>[0], host?: string): Promise<TestServer> {
    const server = await startServer(handler, host);
    servers.push(server);
    return server;
  }
  useNock();
  before(() => {
    // Nothing but loopback may be reached; any other host must be a nock interceptor.
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1:") || host.startsWith("localhost:"));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("sends a KeyCredential's key as a bearer token", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    await send(testPipeline(server.url), request(`${server.url}/v2/account`));
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
  });

  it("signs https requests to the endpoint (nock)", async () => {
    const scope = nock("https://api.digitalocean.com").get("/v2/account").matchHeader("authorization", `Bearer ${TOKEN}`).reply(200, {});
    const response = await send(testPipeline("https://api.digitalocean.com", { allowInsecureConnection: false }), request("https://api.digitalocean.com/v2/account"));
    assert.equal(response.status, 200);
    assert.ok(scope.isDone());
  });

  it("asks a TokenCredential with no scopes and a signal that follows the request's, and caches the token", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const credential = fakeCredential(60 * 60 * 1000);
    const pipeline = testPipeline(server.url, { credential });
    const controller = new AbortController();
    await send(pipeline, request(`${server.url}/v2/account`, { abortSignal: controller.signal }));
    await send(pipeline, request(`${server.url}/v2/account`));
    assert.equal(credential.calls.length, 1);
    assert.deepEqual(credential.calls[0]?.scopes, []);
    // The attempt's signal (which the timeout policy also fires), linked to the caller's.
    assert.equal(typeof credential.calls[0]?.options?.abortSignal?.addEventListener, "function");
    assert.equal(server.requests[1]?.headers.authorization, `Bearer ${TOKEN}-1`);
  });

  it("refreshes a token within 2 minutes of expiry", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const credential = fakeCredential(90 * 1000);
    const pipeline = testPipeline(server.url, { credential });
    await send(pipeline, request(`${server.url}/v2/account`));
    await send(pipeline, request(`${server.url}/v2/account`));
    assert.equal(credential.calls.length, 2);
    assert.equal(server.requests[1]?.headers.authorization, `Bearer ${TOKEN}-2`);
  });

  it("refuses http:// to a non-loopback host without sending anything", async () => {
    const scope = nock("http://api.example.com").get("/v2/account").reply(200, {});
    for (const allowInsecureConnection of [false, true]) {
      const pipeline = testPipeline("http://api.example.com", { allowInsecureConnection });
      const error = await rejection(send(pipeline, request("http://api.example.com/v2/account?secret=1")));
      assert.ok(error instanceof InsecureConnectionError, `got ${error.name}: ${error.message}`);
      assert.match(error.message, /http:\/\/api\.example\.com/);
      assert.doesNotMatch(error.message, /secret/);
    }
    assert.equal(scope.isDone(), false, "a request went out");
  });

  it("refuses http:// to 127.0.0.1 unless allowInsecureConnection, and then sends", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const error = await rejection(send(testPipeline(server.url, { allowInsecureConnection: false }), request(`${server.url}/v2/account`)));
    assert.ok(error instanceof InsecureConnectionError);
    assert.equal(server.requests.length, 0);
    const response = await send(testPipeline(server.url, { allowInsecureConnection: true }), request(`${server.url}/v2/account`));
    assert.equal(response.status, 200);
    assert.equal(server.requests.length, 1);
  });

  it("refuses a redirect from https down to plain http", async () => {
    nock("https://api.digitalocean.com").get("/v2/download").reply(302, "", { location: "http://downloads.example.com/file" });
    const downgraded = nock("http://downloads.example.com").get("/file").reply(200, "");
    const error = await rejection(send(testPipeline("https://api.digitalocean.com", { allowInsecureConnection: true }), request("https://api.digitalocean.com/v2/download")));
    assert.ok(error instanceof InsecureConnectionError, `got ${error.name}: ${error.message}`);
    assert.equal(downgraded.isDone(), false);
  });

  it("recognises loopback hosts", () => {
    for (const host of ["localhost", "127.0.0.1", "127.45.6.7", "[::1]", new URL("http://127.1/").hostname]) assert.equal(isLoopback(host), true, host);
    for (const host of ["128.0.0.1", "127.0.0.1.nip.io", "localhost.example.com", "0.0.0.0", "[::2]", "example.com", "127.0.0"]) {
      assert.equal(isLoopback(host), false, host);
    }
  });

  it("a same-origin redirect carries the token", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/v2/start") return void res.writeHead(302, { location: "/v2/end" }).end();
      res.end("{}");
    });
    const response = await send(testPipeline(server.url), request(`${server.url}/v2/start`));
    assert.equal(response.status, 200);
    assert.deepEqual(server.requests.map((req) => [req.url, req.headers.authorization]), [
      ["/v2/start", `Bearer ${TOKEN}`],
      ["/v2/end", `Bearer ${TOKEN}`],
    ]);
  });

  it("a cross-origin redirect (127.0.0.1 → localhost) does not carry the token", async () => {
    const other = await serve((_req, res) => res.end("landed"));
    const server = await serve((_req, res) => void res.writeHead(302, { location: `http://localhost:${other.port}/landing` }).end());
    const response = await send(testPipeline(server.url), request(`${server.url}/v2/start`));
    assert.equal(response.status, 200);
    assert.equal(response.bodyAsText, "landed");
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(other.requests.length, 1);
    assert.equal(other.requests[0]?.headers.authorization, undefined);
  });

  it("allowCrossOriginAuth sends the token across origins", async () => {
    const other = await serve((_req, res) => res.end("landed"));
    const server = await serve((_req, res) => void res.writeHead(302, { location: `http://localhost:${other.port}/landing` }).end());
    await send(testPipeline(server.url, { allowCrossOriginAuth: true }), request(`${server.url}/v2/start`));
    assert.equal(other.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
  });

  it("an absolute URL to another origin gets no token, even one set on the request, and no token is fetched", async () => {
    const credential = fakeCredential(60 * 60 * 1000);
    let seen: string | string[] | undefined = "not called";
    const scope = nock("https://uploads.example.com")
      .put("/bucket/object")
      .reply(function () {
        seen = this.req.headers.authorization;
        return [200, ""];
      });
    const pipeline = testPipeline("https://api.digitalocean.com", { credential, allowInsecureConnection: false });
    await send(pipeline, request("https://uploads.example.com/bucket/object", { method: "PUT", body: "x", headers: { Authorization: `Bearer ${TOKEN}` } }));
    assert.ok(scope.isDone());
    assert.equal(seen, undefined);
    assert.equal(credential.calls.length, 0);
  });

  it("does not take a look-alike host for the endpoint", async () => {
    const seen: Array<string | string[] | undefined> = [];
    for (const origin of ["https://api.digitalocean.com.example.com", "https://example.com"]) {
      nock(origin)
        .get(/.*/)
        .reply(function () {
          seen.push(this.req.headers.authorization);
          return [200, ""];
        });
    }
    const pipeline = testPipeline("https://api.digitalocean.com", { allowInsecureConnection: false });
    await send(pipeline, request("https://api.digitalocean.com.example.com/v2/account"));
    // userinfo is refused outright: Node would send it as Basic credentials.
    const error = await rejection(send(pipeline, request("https://api.digitalocean.com@example.com/v2/account")));
    assert.ok(error instanceof InsecureConnectionError, `got ${error.name}`);
    assert.deepEqual(seen, [undefined]);
  });
});
