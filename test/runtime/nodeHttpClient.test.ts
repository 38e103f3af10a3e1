import assert from "node:assert/strict";
import nock from "nock";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHttpHeaders, createPipelineRequest, type PipelineRequest } from "@azure/core-rest-pipeline";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { AbortError } from "../../src/core/errors.js";
import { NodeHttpClient } from "../../src/pipeline/nodeHttpClient.js";
import { readAll, rejection, startServer, type TestServer } from "./policies/support.js";

function get(url: string, init: Partial<PipelineRequest> = {}): PipelineRequest {
  const request = createPipelineRequest({ url, method: "GET" });
  request.allowInsecureConnection = true;
  return Object.assign(request, init);
}

describe("NodeHttpClient", () => {
  const client = new NodeHttpClient();
  let server: TestServer;
  const bodies: string[] = [];
  before(async () => {
    server = await startServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        bodies.push(body);
        if (req.url === "/stall") return void res.writeHead(200).write("partial");
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

  it("runs over real sockets: nock is off outside the suites that turn it on", () => {
    assert.equal(nock.isActive(), false);
  });

  it("reads a JSON answer as text, with headers (repeated ones joined)", async () => {
    const response = await client.sendRequest(get(`${server.url}/v2/account?x=1`));
    assert.equal(response.status, 200);
    assert.equal(JSON.parse(response.bodyAsText ?? "").url, "/v2/account?x=1");
    assert.equal(response.headers.get("set-cookie"), "a=1, b=2");
  });

  it("reuses one keep-alive connection", async () => {
    // In a child process: nock, loaded by other test files, swaps sockets for its own in this one.
    const script = `
      const { NodeHttpClient } = require(${JSON.stringify(require.resolve("../../src/pipeline/nodeHttpClient.js"))});
      const { createPipelineRequest } = require("@azure/core-rest-pipeline");
      const client = new NodeHttpClient();
      const get = async (path) => {
        const request = createPipelineRequest({ url: ${JSON.stringify(server.url)} + path, method: "GET" });
        request.allowInsecureConnection = true;
        return JSON.parse((await client.sendRequest(request)).bodyAsText).port;
      };
      (async () => console.log(JSON.stringify([await get("/a"), await get("/b"), await get("/c")])))();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: process.cwd() });
    const ports = JSON.parse(stdout) as number[];
    assert.equal(new Set(ports).size, 1, `ports: ${ports.join(", ")}`);
  });

  it("sends string, byte and stream bodies, with a content length where it is known", async () => {
    const post = (body: PipelineRequest["body"]) => get(`${server.url}/post`, { method: "POST", body, headers: createHttpHeaders() });
    assert.equal((await client.sendRequest(post('{"a":"é"}'))).headers.get("x-length"), "10");
    assert.equal((await client.sendRequest(post(new Uint8Array([1, 2, 3])))).headers.get("x-length"), "3");
    await client.sendRequest(post(Readable.from(["chunk1", "chunk2"])));
    assert.equal(bodies.at(-1), "chunk1chunk2");
  });

  it("streams the statuses it is asked to stream", async () => {
    const response = await client.sendRequest(get(`${server.url}/s`, { streamResponseStatusCodes: new Set([200]) }));
    assert.equal(response.bodyAsText, undefined);
    assert.match(await readAll(response.readableStreamBody as NodeJS.ReadableStream), /"url":"\/s"/);
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

  it("hands requests that use core-only features to core's client (here: decompression)", async () => {
    const response = await client.sendRequest(get(`${server.url}/gzip`, { headers: createHttpHeaders({ "accept-encoding": "gzip" }) }));
    assert.deepEqual(JSON.parse(response.bodyAsText ?? ""), { zipped: true });
  });
});
