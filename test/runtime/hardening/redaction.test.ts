import assert from "node:assert/strict";
import { createDefaultHttpClient, isRestError, type HttpClient } from "@azure/core-rest-pipeline";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ConnectionError, DigitalOceanClient, timeoutPolicyName, TsdoError } from "../../../src/index.js";
import { rejection, startServer, TOKEN, unusedPort, type TestServer } from "../policies/support.js";
import { assertSecretFree } from "./support.js";

const INFERENCE_KEY = "sk-do-INFERENCEKEY0123456789";
const AGENT_KEY = "agent-AGENTKEY0123456789abcdef";
const PROXY_PASSWORD = "pr0xyPASSWORD";
const SECRETS = [TOKEN, INFERENCE_KEY, AGENT_KEY];

function route(req: IncomingMessage, res: ServerResponse, other: string): void {
  const path = (req.url ?? "").split("?")[0];
  switch (path) {
    case "/v2/droplets/404":
      res.writeHead(404, { "content-type": "application/json", "x-request-id": "r-404" });
      return void res.end('{"id":"not_found","message":"The resource you were accessing could not be found."}');
    case "/v2/droplets/500":
      res.writeHead(500, { "content-type": "application/json" });
      return void res.end('{"id":"server_error","message":"boom"}');
    case "/v2/droplets/429":
      res.writeHead(429, { "content-type": "application/json", "retry-after": "3600" });
      return void res.end('{"id":"too_many_requests","message":"API Rate limit exceeded."}');
    case "/v2/droplets/reset":
    case "/agent/api/v1/chat/completions":
      return void req.socket.destroy();
    case "/v2/droplets/stall":
      return;
    case "/v2/droplets/badjson":
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end("<html>not json</html>");
    case "/v2/droplets/huge":
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(`{"pad":"${"x".repeat(10_000)}"}`);
    case "/v2/droplets":
      res.writeHead(307, { location: `${other}/v2/droplets` });
      return void res.end();
    case "/v2/customers/my/invoices/cut/pdf":
      res.writeHead(200, { "content-type": "application/pdf", "content-length": "1000" });
      res.write("%PDF-partial");
      return void setTimeout(() => req.socket.destroy(), 5);
    case "/inference/v1/embeddings":
      res.writeHead(401, { "content-type": "application/json" });
      return void res.end('{"id":"unauthorized","message":"bad key"}');
    default:
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
  }
}

describe("hardening: no error reaches a credential (defect 1)", () => {
  let server: TestServer;
  before(async () => {
    // Another origin for the cross-origin redirect: the same server under another host name.
    server = await startServer((req, res) => route(req, res, `http://localhost:${server.port}`));
  });
  after(() => server.close());

  function client(httpClient?: HttpClient, extra: Record<string, unknown> = {}): DigitalOceanClient {
    return new DigitalOceanClient(TOKEN, {
      endpoint: server.url,
      inferenceEndpoint: `${server.url}/inference`,
      inferenceKey: INFERENCE_KEY,
      agentEndpoint: `${server.url}/agent`,
      agentKey: AGENT_KEY,
      allowInsecureConnection: true,
      timeoutInMs: 150,
      retryOptions: { maxRetries: 0 },
      // One call per failure kind, a 429 among them: the rate limiter would hold the ones after it.
      rateLimitOptions: { enabled: false },
      maxResponseBytes: 1024,
      httpClient,
      ...extra,
    });
  }

  /** Every error class tsdo makes, from every place it makes them. */
  async function everyError(httpClient?: HttpClient): Promise<Record<string, Error>> {
    const c = client(httpClient);
    const droplet = (id: string) => rejection(c.droplets.get(id as unknown as number));
    const refusedUrl = `http://127.0.0.1:${await unusedPort()}`;
    const refused = new DigitalOceanClient(TOKEN, { endpoint: refusedUrl, allowInsecureConnection: true, retryOptions: { maxRetries: 0 }, httpClient });
    const errors: Record<string, Error> = {
      "404": await droplet("404"),
      "500": await droplet("500"),
      "429": await droplet("429"),
      reset: await droplet("reset"),
      refused: await rejection(refused.droplets.get(1)),
      timeout: await droplet("stall"),
      parse: await droplet("badjson"),
      redirect: await rejection(c.droplets.create({ name: "a", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu", user_data: "secret" } as never)),
      inference: await rejection(c.inference.createEmbedding({ model: "m", input: "x" } as never)),
      agent: await rejection(c.agentInference.createChatCompletion({ messages: [] } as never, { agent: true } as never)),
      download: await rejection(client(httpClient, { retryOptions: { maxRetries: 1, retryDelayInMs: 1 } }).invoices.getPdfByUUID("cut")),
    };
    if (httpClient === undefined) errors.tooLarge = await droplet("huge");
    return errors;
  }

  for (const [name, httpClient] of [["tsdo's client", undefined], ["core's client", createDefaultHttpClient()]] as const) {
    it(`over ${name}: every error is a TsdoError and a RestError, and none shows a credential in any of 14 renderings`, async () => {
      const errors = await everyError(httpClient);
      const names = Object.fromEntries(Object.entries(errors).map(([key, error]) => [key, error.name]));
      assert.deepEqual(names, {
        "404": "NotFoundError",
        "500": "InternalServerError",
        "429": "RateLimitError",
        reset: "ConnectionError",
        refused: "ConnectionError",
        timeout: "TimeoutError",
        parse: "ResponseParseError",
        redirect: "RedirectError",
        inference: "AuthenticationError",
        agent: "ConnectionError",
        download: "ConnectionError",
        ...(httpClient === undefined ? { tooLarge: "ResponseTooLargeError" } : {}),
      });
      for (const [key, error] of Object.entries(errors)) {
        assert.ok(error instanceof TsdoError && isRestError(error), `${key}: ${error.name} is not a TsdoError`);
        assertSecretFree(error, SECRETS);
        // The copy keeps what a bug report needs.
        const request = (error as TsdoError).request;
        assert.match(request?.url ?? "", /^http:\/\/(127.0.0.1|localhost):\d+\//, `${key}: no request copy`);
      }
    });
  }

  it("keeps the request's other headers and redacts credential-like ones, the URL's userinfo and signatures", async () => {
    const c = client(undefined, { retryOptions: { maxRetries: 0 } });
    const error = (await rejection(
      c.droplets.get("404" as unknown as number, { headers: { "x-trace": "t-1", "x-api-key": "k-SECRET", cookie: "s=SECRET", "x-custom": "Basic SECRET" } }),
    )) as TsdoError;
    const headers = error.request?.headers.toJSON() ?? {};
    assert.equal(headers["x-trace"], "t-1");
    assert.equal(headers.accept, "application/json");
    for (const name of ["authorization", "x-api-key", "cookie", "x-custom"]) assert.equal(headers[name], undefined, name);
    assert.equal(error.request?.body, undefined);
    assertSecretFree(error, ["SECRET"]);
  });

  it("redacts the proxy's password and the request body from errors", async () => {
    const c = client(undefined, { proxyOptions: { host: "http://127.0.0.1", port: await unusedPort(), username: "u", password: PROXY_PASSWORD } });
    const error = await rejection(c.droplets.create({ name: "a", region: "nyc3", size: "s", image: "i", user_data: "USERDATA-SECRET" } as never));
    assert.equal(error.name, "ConnectionError");
    assertSecretFree(error, [...SECRETS, PROXY_PASSWORD, "USERDATA-SECRET"]);
  });

  it("error classes do not depend on the timeout policy: without it a reset is still a ConnectionError", async () => {
    for (const httpClient of [undefined, createDefaultHttpClient()]) {
      const c = client(httpClient);
      c.pipeline.removePolicy({ name: timeoutPolicyName });
      const error = await rejection(c.droplets.get("reset" as unknown as number));
      assert.ok(error instanceof ConnectionError, `got ${error.name}`);
      assert.equal(error.systemCode, "ECONNRESET");
      assertSecretFree(error, SECRETS);
    }
  });
});
