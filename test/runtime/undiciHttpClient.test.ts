import assert from "node:assert/strict";
import { createHttpHeaders, createPipelineRequest, isRestError, type PipelineRequest } from "@azure/core-rest-pipeline";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { Agent } from "undici";
import { AbortError } from "../../src/core/errors.js";
import { UndiciHttpClient } from "../../src/undici/index.js";
import { readAll, rejection, startServer, type TestServer } from "./policies/support.js";

function get(url: string, init: Partial<PipelineRequest> = {}): PipelineRequest {
  const request = createPipelineRequest({ url, method: "GET" });
  request.allowInsecureConnection = true;
  return Object.assign(request, init);
}

// The policy suites (timeout, retry) run over this client too; these are its transport-level cases.
describe("UndiciHttpClient", () => {
  const client = new UndiciHttpClient();
  let server: TestServer;
  const bodies: string[] = [];
  before(async () => {
    server = await startServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        bodies.push(body);
        if (req.url === "/stall") return void res.writeHead(200).write("partial");
        if (req.url === "/reset") return void res.writeHead(200, { "content-length": "100" }).write("partial", () => req.socket.destroy());
        if (req.url === "/gzip") {
          res.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" });
          return void res.end(gzipSync('{"zipped":true}'));
        }
        res.writeHead(200, { "content-type": "application/json", "set-cookie": ["a=1", "b=2"], "x-length": String(req.headers["content-length"] ?? "") });
        res.end(JSON.stringify({ method: req.method, url: req.url, port: req.socket.remotePort }));
      });
    });
  });
  after(() => server.close());

  it("reads a JSON answer as text, with headers (repeated ones joined)", async () => {
    const response = await client.sendRequest(get(`${server.url}/v2/account?x=1`));
    assert.equal(response.status, 200);
    assert.equal(JSON.parse(response.bodyAsText ?? "").url, "/v2/account?x=1");
    assert.equal(response.headers.get("set-cookie"), "a=1, b=2");
  });

  it("keeps connections alive: ten calls in a row share at most two sockets", async () => {
    // undici frees a connection just after the body resolves, so a call made at once may take a
    // second pooled socket; what matters is that none is opened per call.
    const ports = new Set();
    for (let i = 0; i < 10; i++) ports.add(JSON.parse((await client.sendRequest(get(`${server.url}/k${i}`))).bodyAsText ?? "").port);
    assert.ok(ports.size <= 2, `ports: ${[...ports].join(", ")}`);
  });

  it("sends string, byte and stream bodies, with a content length where it is known", async () => {
    const post = (body: PipelineRequest["body"]) => get(`${server.url}/post`, { method: "POST", body, headers: createHttpHeaders() });
    assert.equal((await client.sendRequest(post('{"a":"é"}'))).headers.get("x-length"), "10");
    assert.equal((await client.sendRequest(post(new Uint8Array([1, 2, 3])))).headers.get("x-length"), "3");
    await client.sendRequest(post(Readable.from(["chunk1", "chunk2"])));
    assert.equal(bodies.at(-1), "chunk1chunk2");
  });

  it("streams the statuses it is asked to stream, and answers HEAD without a body", async () => {
    const response = await client.sendRequest(get(`${server.url}/s`, { streamResponseStatusCodes: new Set([200]) }));
    assert.equal(response.bodyAsText, undefined);
    assert.match(await readAll(response.readableStreamBody as NodeJS.ReadableStream), /"url":"\/s"/);
    const head = await client.sendRequest(get(`${server.url}/h`, { method: "HEAD" }));
    assert.equal(head.status, 200);
    assert.equal(head.bodyAsText, undefined);
  });

  it("reaches an IPv6 literal host", async () => {
    const v6 = await startServer((_req, res) => res.end("v6"), "::1");
    try {
      assert.equal((await client.sendRequest(get(`http://[::1]:${v6.port}/x`))).bodyAsText, "v6");
    } finally {
      await v6.close();
    }
  });

  it("refuses plain http unless the request allows it", async () => {
    const error = await rejection(client.sendRequest(get(`${server.url}/x`, { allowInsecureConnection: false })));
    assert.match(error.message, /plain http/);
  });

  it("rejects with AbortError when aborted in flight or before sending", async () => {
    const controller = new AbortController();
    const pending = client.sendRequest(get(`${server.url}/stall`, { abortSignal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    assert.ok((await rejection(pending)) instanceof AbortError);
    assert.ok((await rejection(client.sendRequest(get(`${server.url}/x`, { abortSignal: AbortSignal.abort() })))) instanceof AbortError);
  });

  it("reports a connection dropped mid-body with node:http's code, ECONNRESET", async () => {
    const error = await rejection(client.sendRequest(get(`${server.url}/reset`)));
    assert.ok(isRestError(error));
    assert.equal(error.code, "ECONNRESET");
    const streamed = await client.sendRequest(get(`${server.url}/reset`, { streamResponseStatusCodes: new Set([200]) }));
    const streamError = await rejection(readAll(streamed.readableStreamBody as NodeJS.ReadableStream));
    assert.equal((streamError as NodeJS.ErrnoException).code, "ECONNRESET");
  });

  it("hands requests undici cannot serve as asked to NodeHttpClient (here: decompression)", async () => {
    const response = await client.sendRequest(get(`${server.url}/gzip`, { headers: createHttpHeaders({ "accept-encoding": "gzip" }) }));
    assert.deepEqual(JSON.parse(response.bodyAsText ?? ""), { zipped: true });
  });

  it("sends through the dispatcher it is given", async () => {
    const dispatcher = new Agent();
    let dispatched = 0;
    const counting = dispatcher.compose((dispatch) => (options, handler) => (dispatched++, dispatch(options, handler)));
    const response = await new UndiciHttpClient({ dispatcher: counting }).sendRequest(get(`${server.url}/d`));
    assert.equal(response.status, 200);
    assert.equal(dispatched, 1);
    await dispatcher.close();
  });
});
