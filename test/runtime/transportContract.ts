import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHttpHeaders, createPipelineRequest, isRestError, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { AbortError } from "../../src/core/errors.js";
import { systemCodeOf } from "../../src/pipeline/transportErrors.js";
import { readAll, rejection, startServer, type TestServer } from "./policies/support.js";

/** A GET that may use plain http, with `init` laid over it. */
export function get(url: string, init: Partial<PipelineRequest> = {}): PipelineRequest {
  const request = createPipelineRequest({ url, method: "GET" });
  request.allowInsecureConnection = true;
  return Object.assign(request, init);
}

/** What a transport suite gets: its client, the shared test server, and the request bodies it saw. */
export interface TransportContext {
  readonly client: HttpClient;
  readonly server: () => TestServer;
  readonly bodies: readonly string[];
}

/**
 * The cases every tsdo transport must pass, as one `describe` per transport; `extra` adds the
 * transport's own cases. `module` and `exportName` name the client class for the cases that run in
 * a child process.
 */
export function describeTransport(name: string, make: () => HttpClient, module: string, exportName: string, extra: (context: TransportContext) => void): void {
  describe(name, () => {
    const client = make();
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
          if (req.url === "/big") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => `item-${i}`) }));
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
      // As a RestError: the transport-error policy makes it a ConnectionError, if the transport has not.
      const error = await rejection(client.sendRequest(get(`${server.url}/reset`)));
      assert.ok(isRestError(error));
      assert.equal(systemCodeOf(error), "ECONNRESET");
      const streamed = await client.sendRequest(get(`${server.url}/reset`, { streamResponseStatusCodes: new Set([200]) }));
      const streamError = await rejection(readAll(streamed.readableStreamBody as NodeJS.ReadableStream));
      assert.equal((streamError as NodeJS.ErrnoException).code, "ECONNRESET");
    });

    it("hands requests that use core-only features on (here: decompression)", async () => {
      const response = await client.sendRequest(get(`${server.url}/gzip`, { headers: createHttpHeaders({ "accept-encoding": "gzip" }) }));
      assert.deepEqual(JSON.parse(response.bodyAsText ?? ""), { zipped: true });
    });

    it("keeps nothing of a settled call, even while the next one is in flight on its connection", async () => {
      // In a child process with --expose-gc (nock, loaded by other files, swaps sockets here). What
      // a walk through pages does: the next call is on the wire while the last one's answer should
      // already be collectable; neither the pooled connection nor the call's listeners may keep it.
      const script = `
        const { ${exportName}: Client } = require(${JSON.stringify(require.resolve(module))});
        const { createPipelineRequest } = require("@azure/core-rest-pipeline");
        const client = new Client();
        const collected = new Set();
        const registry = new FinalizationRegistry((label) => collected.add(label));
        const request = (path, signal) => {
          const request = createPipelineRequest({ url: ${JSON.stringify(server.url)} + path, method: "GET", abortSignal: signal });
          request.allowInsecureConnection = true;
          return request;
        };
        // In a function of its own: a suspended async frame would keep its own variables.
        async function call() {
          const response = await client.sendRequest(request("/big"));
          if (JSON.parse(response.bodyAsText).items.length !== 20000) throw new Error("a short body");
          registry.register(response, "response");
          registry.register(response.request, "request");
        }
        (async () => {
          await call();
          const controller = new AbortController();
          const next = client.sendRequest(request("/stall", controller.signal)).catch(() => "aborted");
          for (let i = 0; i < 5 && collected.size < 2; i++) {
            globalThis.gc();
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          controller.abort();
          console.log(JSON.stringify({ collected: [...collected].sort(), next: await next }));
          client.close?.();
        })();
      `;
      const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "-e", script], { cwd: process.cwd() });
      assert.deepEqual(JSON.parse(stdout), { collected: ["request", "response"], next: "aborted" });
    });

    extra({ client, server: () => server, bodies });
  });
}
