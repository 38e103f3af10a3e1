import assert from "node:assert/strict";
import { AbortError, ConnectionError, TimeoutError } from "../../../src/core/errors.js";
import { readAll, rejection, request, send, startServer, testPipeline, unusedPort, trackTimers, type TestServer, forEachTransport } from "./support.js";

/** No retries: these tests look at one attempt. */
const once = { retryOptions: { maxRetries: 0 } };

describe("timeoutPolicy", () =>
  forEachTransport(() => {
  const servers: TestServer[] = [];
  async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("times out a body that stalls after the headers (core alone would hang)", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"droplets": [');
    });
    const started = Date.now();
    const error = await rejection(send(testPipeline(server.url, { ...once, timeoutInMs: 200 }), request(`${server.url}/v2/droplets`)));
    assert.ok(error instanceof TimeoutError, `got ${error.name}: ${error.message}`);
    assert.equal(error.timeoutInMs, 200);
    assert.match(error.message, /GET \/v2\/droplets timed out after 200 ms/);
    assert.ok(Date.now() - started < 1000);
  });

  it("times out a server that never sends headers", async () => {
    const server = await serve(() => undefined);
    const error = await rejection(send(testPipeline(server.url, { ...once, timeoutInMs: 100 }), request(`${server.url}/v2/account`)));
    assert.ok(error instanceof TimeoutError, `got ${error.name}`);
  });

  it("a request's own timeout overrides the pipeline's", async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await rejection(send(testPipeline(server.url, { ...once, timeoutInMs: 30_000 }), request(`${server.url}/v2/account`, { timeout: 100 })));
    assert.ok(error instanceof TimeoutError, `got ${error.name}`);
    assert.equal(error.timeoutInMs, 100);
    assert.ok(Date.now() - started < 1000);
  });

  it("times out a streamed body that stalls, as an idle timeout, after delivering what came", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("first chunk;");
    });
    const response = await send(testPipeline(server.url, { ...once, timeoutInMs: 200 }), request(`${server.url}/v2/file`, { stream: [200] }));
    const body = response.readableStreamBody;
    assert.ok(body);
    let received = "";
    body.on("data", (chunk: Buffer) => (received += chunk.toString()));
    const error = await new Promise<Error>((resolve) => body.once("error", resolve));
    assert.ok(error instanceof TimeoutError, `got ${error.name}: ${error.message}`);
    assert.match(error.message, /no body data for 200 ms/);
    assert.equal(received, "first chunk;");
  });

  it("lets a streamed body run longer than the timeout while data keeps coming", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`data: ${sent}\n\n`);
        if (++sent === 6) {
          clearInterval(timer);
          res.end();
        }
      }, 60);
    });
    const response = await send(testPipeline(server.url, { ...once, timeoutInMs: 200 }), request(`${server.url}/v2/events`, { stream: [200] }));
    assert.ok(response.readableStreamBody);
    const text = await readAll(response.readableStreamBody); // ~360 ms in all, never 200 ms idle
    assert.equal(text.match(/data: /g)?.length, 6);
  });

  it("a non-streamed body is bounded as a whole, not per chunk", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(" ");
        if (++sent === 10) {
          clearInterval(timer);
          res.end("{}");
        }
      }, 50);
      res.on("close", () => clearInterval(timer));
    });
    const error = await rejection(send(testPipeline(server.url, { ...once, timeoutInMs: 200 }), request(`${server.url}/v2/account`)));
    assert.ok(error instanceof TimeoutError, `got ${error.name}`);
  });

  it("the caller's abort rejects an in-flight attempt promptly with AbortError", async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await rejection(send(testPipeline(server.url), request(`${server.url}/v2/account`, { abortSignal: controller.signal })));
    assert.ok(error instanceof AbortError, `got ${error.name}`);
    assert.ok(Date.now() - started < 500);
  });

  it("an already aborted signal sends nothing", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(send(testPipeline(server.url), request(`${server.url}/v2/account`, { abortSignal: controller.signal })));
    assert.ok(error instanceof AbortError, `got ${error.name}`);
    assert.equal(server.requests.length, 0);
  });

  it("the caller's abort ends a streamed body with AbortError", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write("x");
    });
    const controller = new AbortController();
    const response = await send(testPipeline(server.url), request(`${server.url}/v2/file`, { stream: [200], abortSignal: controller.signal }));
    const body = response.readableStreamBody;
    assert.ok(body);
    body.resume();
    const failed = new Promise<Error>((resolve) => body.once("error", resolve));
    controller.abort();
    assert.ok((await failed) instanceof AbortError);
  });

  it("turns a refused connection into ConnectionError, keeping the original as cause", async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const error = await rejection(send(testPipeline(url, once), request(`${url}/v2/account`)));
    assert.ok(error instanceof ConnectionError, `got ${error.name}: ${error.message}`);
    assert.equal(error.systemCode, "ECONNREFUSED");
    assert.match(error.message, /^GET \/v2\/account failed \(ECONNREFUSED\)/);
    assert.ok(error.cause instanceof Error);
  });

  it("turns a connection dropped mid-stream into ConnectionError", async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("abc");
      setTimeout(() => req.socket.destroy(), 20);
    });
    const response = await send(testPipeline(server.url, once), request(`${server.url}/v2/file`, { stream: [200] }));
    const error = await rejection(readAll(response.readableStreamBody as NodeJS.ReadableStream));
    assert.ok(error instanceof ConnectionError, `got ${error.name}: ${error.message}`);
    assert.equal(error.systemCode, "ECONNRESET");
  });

  it("leaves no timer behind, for plain, streamed and failed attempts", async () => {
    const server = await serve((req, res) => (req.url === "/v2/reset" ? req.socket.destroy() : res.end("{}")));
    const pipeline = testPipeline(server.url, { ...once, timeoutInMs: 4321 });
    const timers = trackTimers((delayInMs) => delayInMs === 4321);
    try {
      await send(pipeline, request(`${server.url}/v2/account`));
      const streamed = await send(pipeline, request(`${server.url}/v2/file`, { stream: [200] }));
      assert.equal(timers.live(), 1, "a streamed body is still guarded");
      assert.equal(await readAll(streamed.readableStreamBody as NodeJS.ReadableStream), "{}");
      await rejection(send(pipeline, request(`${server.url}/v2/reset`)));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      timers.restore();
    }
    assert.equal(timers.created(), 3);
    assert.equal(timers.live(), 0);
  });

  it("restores the request's own signal and timeout after the attempt", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const controller = new AbortController();
    const req = request(`${server.url}/v2/account`, { abortSignal: controller.signal, timeout: 5000 });
    await send(testPipeline(server.url), req);
    assert.equal(req.abortSignal, controller.signal);
    assert.equal(req.timeout, 5000);
  });
}));
