import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createPipelineRequest, isRestError } from "@azure/core-rest-pipeline";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import {
  AbortError,
  DigitalOceanClient,
  NotFoundError,
  ResponseParseError,
  ResponseTooLargeError,
  TimeoutError,
  TsdoError,
} from "../../../src/index.js";
import { rejection, startServer, TOKEN, trackTimers, type TestServer } from "../policies/support.js";

/** Per-path counters, so a route can answer its first attempt differently. */
const hits = new Map<string, number>();

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "").split("?")[0] ?? "";
  const hit = (hits.get(path) ?? 0) + 1;
  hits.set(path, hit);
  const json = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  };
  switch (path) {
    case "/v2/customers/my/invoices/flaky/pdf":
      // The first answer is cut after 10 of 100 bytes; the second is whole.
      res.writeHead(200, { "content-type": "application/pdf", "content-length": "100" });
      if (hit === 1) {
        res.write("%PDF-1.7 ");
        return void setTimeout(() => req.socket.destroy(), 5);
      }
      return void res.end("%PDF-1.7 " + "x".repeat(91));
    case "/v2/customers/my/invoices/big/pdf":
      res.writeHead(200, { "content-type": "application/pdf" });
      return void res.end(Buffer.alloc(200_000));
    case "/v2/account":
      return json(200, "", { "ratelimit-limit": "5000", "ratelimit-remaining": "4999", "ratelimit-reset": "1700000000" });
    case "/v2/droplets":
      if (req.method === "POST") return void (res.writeHead(202), res.end());
      return json(200, '{"droplets":[]}', { "ratelimit-limit": "5000", "ratelimit-remaining": "4998", "ratelimit-reset": "1700000000" });
    case "/v2/droplets/7":
      return json(404, JSON.stringify({ id: "not_found", message: `line1\r\nFORGED 200 OK\u001b[31m${"m".repeat(5_000_000)}`, request_id: "r-7" }));
    case "/v2/droplets/8":
      return json(404, '{"id":"not_found","message":"The resource you were accessing could not be found.","request_id":"r-8"}');
    case "/inference/v1/chat/completions":
    case "/v1/chat/completions":
      res.writeHead(200, { "content-type": "text/event-stream", "ratelimit-limit": "10", "ratelimit-remaining": "1", "ratelimit-reset": "1700000000" });
      res.write('data: {"n":1}\n\n');
      // Never ends: only the client can release it.
      return;
    case "/v1/embeddings":
      return json(200, '{"data":[]}', { "ratelimit-limit": "10", "ratelimit-remaining": "1", "ratelimit-reset": "1700000000" });
    case "/v2/slow":
      return void setTimeout(() => json(200, "{}"), 20);
    default:
      json(200, "{}");
  }
}

describe("hardening: calls", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(route);
  });
  after(() => server.close());
  beforeEach(() => hits.clear());

  const client = (options: Record<string, unknown> = {}) =>
    new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true, retryOptions: { retryDelayInMs: 1 }, ...options });

  it("retries a binary GET cut mid-body, as it does a JSON GET (defect 8)", async () => {
    const bytes = await client().invoices.getPdfByUUID("flaky");
    assert.equal(bytes.length, 100);
    assert.equal(hits.get("/v2/customers/my/invoices/flaky/pdf"), 2);
  });

  it("caps binary bodies at maxBinaryResponseBytes with ResponseTooLargeError", async () => {
    const error = await rejection(client({ maxBinaryResponseBytes: 64 * 1024 }).invoices.getPdfByUUID("big"));
    assert.ok(error instanceof ResponseTooLargeError, `got ${error.name}`);
    assert.equal(error.maxResponseBytes, 64 * 1024);
  });

  it("rejects an empty 200 or 202 where JSON is declared with ResponseParseError (defect 9)", async () => {
    const error = await rejection(client().account.get());
    assert.ok(error instanceof ResponseParseError, `got ${error.name}`);
    assert.match(error.message, /200 response to GET has an empty body where JSON was expected/);
    const created = await rejection(client().droplets.create({ name: "a", region: "nyc3", size: "s", image: "i" } as never));
    assert.ok(created instanceof ResponseParseError, `got ${created.name}`);
  });

  it("caps and neutralizes a server's error message (defect 10)", async () => {
    const error = await rejection(client().droplets.get(7));
    assert.ok(error instanceof NotFoundError);
    assert.ok(error.message.length < 400, `message is ${error.message.length} characters`);
    assert.ok(!/[\r\n\u001b]/.test(error.message), JSON.stringify(error.message));
    assert.ok((error.stack ?? "").length < 5000);
    assert.match(error.message, /^404 line1 {2}FORGED 200 OK \[31mm+…/);
  });

  it("util.inspect shows the class, message, status, id, requestId and stack, and isRestError holds (issue 8)", async () => {
    const error = await rejection(client().droplets.get(8));
    const text = inspect(error);
    assert.match(text, /^NotFoundError: 404 The resource you were accessing could not be found\. \(GET \/v2\/droplets\/8\)\n {4}at /);
    assert.match(text, /statusCode: 404/);
    assert.match(text, /id: 'not_found'/);
    assert.match(text, /requestId: 'r-8'/);
    assert.ok(!text.includes(TOKEN));
    assert.ok(isRestError(error) && error instanceof TsdoError);
    assert.equal(error.name, "NotFoundError");
  });

  it("lone surrogates in a path or query value are a TypeError naming operation and parameter (defect 15)", async () => {
    const pathError = await rejection(client().droplets.get("a\ud800" as unknown as number));
    assert.ok(pathError instanceof TypeError);
    assert.match(pathError.message, /droplets_get: path parameter "droplet_id" is not well-formed Unicode/);
    // Paged calls validate synchronously.
    assert.throws(() => client().droplets.list({ tag_name: "\udc00x" }), (error: Error) => {
      assert.ok(error instanceof TypeError, `got ${error.name}`);
      assert.match(error.message, /droplets_list: parameter "tag_name" is not well-formed Unicode/);
      return true;
    });
  });

  it("a throwing onResponse on a streamed answer releases the socket and the timer (defect 17)", async () => {
    const timers = trackTimers((delayInMs) => delayInMs === 60_000);
    let closed: Promise<void> | undefined;
    try {
      const c = client({ inferenceEndpoint: `${server.url}/inference`, inferenceKey: "k" });
      const error = await rejection(
        c.inference.createChatCompletion({ model: "m", messages: [], stream: true } as never, {
          onResponse: () => {
            const socket = server.requests.at(-1)?.socket;
            closed = new Promise((resolve) => socket?.once("close", () => resolve()));
            throw new Error("callback failed");
          },
        }),
      );
      assert.equal(error.message, "callback failed");
      await closed;
      assert.equal(timers.live(), 0);
    } finally {
      timers.restore();
    }
  });

  it("client.rateLimit keeps the API's count, not another origin's (defect 13)", async () => {
    const c = client({ inferenceEndpoint: `http://localhost:${server.port}`, inferenceKey: "k" });
    await c.droplets.list().byPage().next();
    assert.equal(c.rateLimit?.remaining, 4998);
    await c.inference.createEmbedding({ model: "m", input: "x" } as never);
    assert.equal(c.rateLimit?.remaining, 4998);
  });

  it("refuses an endpoint with userinfo, without echoing it (defect 12)", () => {
    for (const option of ["endpoint", "inferenceEndpoint", "agentEndpoint"]) {
      assert.throws(() => client({ [option]: "https://user:hunter2@api.example.com" }), (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, new RegExp(`"${option}" may not contain a user name or password`));
        assert.ok(!error.message.includes("hunter2") && !inspect(error).includes("hunter2"));
        return true;
      });
    }
    assert.throws(() => client({ endpoint: "https://user:hunter2@[bad" }), (error: Error) => !error.message.includes("hunter2"));
  });

  it("one AbortSignal shared by 64 concurrent calls gets one listener, and no warning (defect 16)", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const c = client();
      const calls = Array.from({ length: 64 }, () => c.sendRequest(createPipelineRequest({ url: `${server.url}/v2/slow`, method: "GET", abortSignal: controller.signal })));
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(getEventListeners(controller.signal, "abort").length <= 1, `${getEventListeners(controller.signal, "abort").length} listeners`);
      await Promise.all(calls);
      assert.equal(getEventListeners(controller.signal, "abort").length, 0);
      // Let a deferred warning surface.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(warnings.map((warning) => warning.name), []);
  });
});

describe("hardening: a token fetch is cancellable and timed (defect 4)", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.end("{}"));
  });
  after(() => server.close());

  /** A credential that ignores the signal and never answers. */
  const stuck: TokenCredential = { getToken: () => new Promise<AccessToken>(() => undefined) };

  it("rejects with AbortError as soon as the caller aborts, however long the credential takes", async () => {
    const c = new DigitalOceanClient(stuck, { endpoint: server.url, allowInsecureConnection: true });
    const controller = new AbortController();
    const started = performance.now();
    const call = rejection(c.account.get({ abortSignal: controller.signal }));
    setImmediate(() => controller.abort());
    const error = await call;
    assert.ok(error instanceof AbortError, `got ${error.name}`);
    assert.ok(performance.now() - started < 1000);
    assert.equal(server.requests.length, 0);
  });

  it("timeoutInMs covers the fetch: TimeoutError", async () => {
    const c = new DigitalOceanClient(stuck, { endpoint: server.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    const error = await rejection(c.account.get({ timeoutInMs: 30 }));
    assert.ok(error instanceof TimeoutError, `got ${error.name}`);
  });
});

describe("hardening: transport", () => {
  let raw: NetServer;
  let port = 0;
  let mode: "204-with-body" | "flood" = "204-with-body";
  before(async () => {
    raw = createNetServer((socket) => {
      socket.once("data", () => {
        if (mode === "204-with-body") return void socket.end("HTTP/1.1 204 No Content\r\nconnection: keep-alive\r\n\r\n{\"stray\":true}");
        // Streams without end, far past the cap; stops when the client hangs up.
        socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n");
        const chunk = Buffer.alloc(16 * 1024, 0x61);
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk));
          if (!socket.destroyed) socket.once("drain", pump);
        };
        socket.on("error", () => undefined);
        pump();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    port = (raw.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => raw.close(() => resolve())));

  const client = (options: Record<string, unknown> = {}) =>
    new DigitalOceanClient(TOKEN, { endpoint: `http://127.0.0.1:${port}`, allowInsecureConnection: true, retryOptions: { maxRetries: 0 }, ...options });

  it("a DELETE answered 204 with stray bytes resolves (defect 7)", async () => {
    mode = "204-with-body";
    assert.equal(await client().droplets.destroy(1), undefined);
  });

  it("a body past maxResponseBytes rejects with ResponseTooLargeError, and the process lives (defect 3)", async () => {
    mode = "flood";
    const error = await rejection(client({ maxResponseBytes: 256 * 1024 }).account.get());
    assert.ok(error instanceof ResponseTooLargeError, `got ${error.name}: ${error.message}`);
    assert.equal(error.maxResponseBytes, 256 * 1024);
    assert.match(error.message, /GET \/v2\/account: the response body is larger than maxResponseBytes \(262144 bytes\)/);
    assert.throws(() => client({ maxResponseBytes: 0 }), RangeError);
  });
});
