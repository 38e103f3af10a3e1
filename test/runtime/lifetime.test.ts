import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { createDefaultHttpClient, type PipelinePolicy } from "@azure/core-rest-pipeline";
import { DigitalOceanClient } from "../../src/client.js";
import { ClientClosedError, InternalServerError } from "../../src/core/errors.js";
import { startServer, TOKEN, type TestServer } from "./policies/support.js";

function answer(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json", "ratelimit-limit": "5000", "ratelimit-remaining": "4321", "ratelimit-reset": "1700000000" });
  res.end('{"account":{"uuid":"u"}}');
}

/** The sockets that carried the server's requests: one per connection the clients opened. */
const connectionsOf = (server: TestServer) => new Set(server.requests.map((req) => req.socket)).size;

/**
 * Runs a child process that makes `calls` calls to `url` and then, if `close`, closes its client.
 * Resolves with how long the process took to exit after its last call (or close) finished.
 */
function runChild(url: string, calls: number, close: boolean): Promise<number> {
  const index = join(__dirname, "..", "..", "src", "index.js");
  const script = `
    const { DigitalOceanClient } = require(${JSON.stringify(index)});
    (async () => {
      const client = new DigitalOceanClient(${JSON.stringify(TOKEN)}, { endpoint: ${JSON.stringify(url)}, allowInsecureConnection: true });
      for (let i = 0; i < ${calls}; i++) await client.account.get();
      ${close ? "await client.close();" : ""}
      process.stdout.write("done " + Date.now() + "\\n");
    })().catch((error) => { console.error(error); process.exit(2); });
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      const exitedAt = Date.now();
      const done = /done (\d+)/.exec(output);
      if (code !== 0 || done === null) return reject(new Error(`child exited with ${code}: ${output}`));
      resolve(exitedAt - Number(done[1]));
    });
  });
}

describe("the client's lifetime: close(), await using, and withOptions", () => {
  const servers: TestServer[] = [];
  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void = answer): Promise<TestServer> {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const clientOf = (server: TestServer, options: ConstructorParameters<typeof DigitalOceanClient>[1] = {}) =>
    new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true, ...options });

  describe("close()", () => {
    it("after close() every call rejects at once with ClientClosedError, without a request", async () => {
      const server = await serve();
      const client = clientOf(server);
      await client.account.get();
      await client.close();
      await client.close();
      await assert.rejects(client.account.get(), ClientClosedError);
      await assert.rejects(client.droplets.list(), /The client is closed/);
      await assert.rejects(client.sendRequest({ url: "/v2/account" } as never), ClientClosedError);
      await assert.rejects(client.waitForAction(1), ClientClosedError);
      assert.equal(server.requests.length, 1);
    });

    it("closes the keep-alive sockets of its own HTTP client", async () => {
      const server = await serve();
      const client = clientOf(server);
      await client.account.get();
      const socket = server.requests[0]?.socket;
      assert.equal(socket?.destroyed, false);
      const closed = new Promise((resolve) => socket?.once("close", resolve));
      await client.close();
      await closed;
    });

    it("leaves an HTTP client you passed open", async () => {
      const server = await serve();
      const httpClient = createDefaultHttpClient();
      const client = clientOf(server, { httpClient });
      await client.close();
      await assert.rejects(client.account.get(), ClientClosedError);
      const other = clientOf(server, { httpClient });
      assert.deepEqual(await other.account.get(), { account: { uuid: "u" } });
    });

    it("await using closes the client at the end of the block", async () => {
      const server = await serve();
      let escaped: DigitalOceanClient | undefined;
      {
        await using client = clientOf(server);
        escaped = client;
        await client.account.get();
      }
      await assert.rejects(escaped.account.get(), ClientClosedError);
      assert.equal(server.requests.length, 1);
    });

    it("a child process that made 100 calls and closed exits within 100 ms", async function () {
      this.timeout(20_000);
      const server = await serve();
      const exitInMs = await runChild(server.url, 100, true);
      assert.equal(server.requests.length, 100);
      assert.equal(connectionsOf(server), 1, "one keep-alive socket served all 100 calls");
      assert.ok(exitInMs < 100, `exited ${exitInMs} ms after close()`);
    });

    it("a child process that does not close still exits at once (idle sockets do not hold the event loop)", async function () {
      this.timeout(20_000);
      const server = await serve();
      const exitInMs = await runChild(server.url, 10, false);
      // The server keeps idle connections for 5 s: an exit well before shows the sockets are not holding it.
      assert.ok(exitInMs < 1000, `exited ${exitInMs} ms after its last call`);
    });
  });

  describe("withOptions", () => {
    it("children share one socket pool with the parent (counted on a loopback server)", async () => {
      const server = await serve();
      const parent = clientOf(server);
      for (let i = 0; i < 5; i++) {
        await parent.withOptions({ timeoutInMs: 1000 + i, headers: { "x-job": String(i) } }).account.get();
        await parent.account.get();
      }
      assert.equal(server.requests.length, 10);
      assert.equal(connectionsOf(server), 1);
      await parent.close();
    });

    it("changes timeouts, retries, user agent, headers and policies for the child only", async () => {
      let failNext = 0;
      const server = await serve((req, res) => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503, { "content-type": "application/json" });
          return void res.end('{"id":"unavailable","message":"down"}');
        }
        answer(req, res);
      });
      const parent = clientOf(server, { retryOptions: { retryDelayInMs: 0 }, headers: { "x-team": "ops" } });
      const seen: string[] = [];
      const policy: PipelinePolicy = { name: "child-only", sendRequest: (request, next) => (seen.push(request.url), next(request)) };
      const child = parent.withOptions({ retryOptions: { maxRetries: 0 }, userAgentPrefix: "job/1", headers: { "x-job": "7" }, additionalPolicies: [{ policy, position: "perCall" }] });
      assert.ok(child instanceof DigitalOceanClient);
      assert.equal(child.endpoint, parent.endpoint);

      failNext = 1;
      await assert.rejects(child.account.get(), InternalServerError);
      const [childRequest] = server.requests.splice(0);
      assert.equal(childRequest?.headers["x-job"], "7");
      assert.equal(childRequest?.headers["x-team"], "ops", "the parent's headers are kept");
      assert.match(String(childRequest?.headers["user-agent"]), /^job\/1 tsdo\//);
      assert.equal(seen.length, 1);

      failNext = 1;
      await parent.account.get();
      const parentRequests = server.requests.splice(0);
      assert.equal(parentRequests.length, 2, "the parent still retries");
      assert.equal(parentRequests[0]?.headers["x-job"], undefined);
      assert.doesNotMatch(String(parentRequests[0]?.headers["user-agent"]), /job\/1/);
      assert.equal(seen.length, 1, "the child's policy is not in the parent's pipeline");
      assert.notEqual(child.pipeline, parent.pipeline);
      await parent.close();
    });

    it("shares the rate-limit reading and lifetime: closing the parent closes its children, not the reverse", async () => {
      const server = await serve();
      const parent = clientOf(server);
      const child = parent.withOptions({ timeoutInMs: 5000 });
      const grandchild = child.withOptions({ headers: { "x-a": "b" } });
      assert.equal(parent.rateLimit?.remaining, undefined);
      await grandchild.account.get();
      assert.equal(parent.rateLimit?.remaining, 4321);
      await child.close();
      await assert.rejects(child.account.get(), ClientClosedError);
      await parent.account.get();
      await grandchild.account.get();
      await parent.close();
      await assert.rejects(grandchild.account.get(), ClientClosedError);
      assert.equal(server.requests.length, 3);
    });

    it("children share the parent's token cache: a TokenCredential is asked once for 10 per-request children", async () => {
      const server = await serve();
      let fetched = 0;
      const credential: TokenCredential = {
        getToken: async () => (fetched++, { token: "from-credential", expiresOnTimestamp: Date.now() + 3_600_000 }),
      };
      const parent = new DigitalOceanClient(credential, { endpoint: server.url, allowInsecureConnection: true });
      for (let i = 0; i < 10; i++) await parent.withOptions({ headers: { "x-job": String(i) } }).account.get();
      assert.equal(fetched, 1);
      assert.equal(server.requests[9]?.headers.authorization, "Bearer from-credential");
      await parent.close();
    });

    it("refuses options it cannot change", () => {
      const client = new DigitalOceanClient(TOKEN);
      assert.throws(() => client.withOptions({ endpoint: "https://x.example" } as never), /withOptions: "endpoint" cannot be changed/);
      assert.throws(() => client.withOptions({ headers: { a: 1 } } as never), /"a" must be a string/);
      assert.throws(() => client.withOptions({ retryOptions: { maxRetries: -1 } }), /retryOptions\.maxRetries/);
    });
  });
});
