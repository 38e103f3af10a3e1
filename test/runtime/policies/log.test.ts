import assert from "node:assert/strict";
import { redirectPolicyName } from "../../../src/pipeline/redirectPolicy.js";
import { captureLogs, rejection, request, send, startServer, testPipeline, TOKEN, unusedPort, type TestServer } from "./support.js";

describe("logPolicy", () => {
  let server: TestServer;
  let capture: ReturnType<typeof captureLogs> | undefined;
  before(async () => {
    server = await startServer((req, res, index) => {
      if (req.url === "/v2/stall") return;
      if (req.url === "/v2/presigned") {
        res.writeHead(302, { location: "https://files.example.test/inv.pdf?X-Amz-Credential=AKIASECRET&X-Amz-Signature=SIGSECRET&part=1" });
        return void res.end();
      }
      const status = req.url?.startsWith("/v2/flaky") && index % 2 === 0 ? 503 : 200;
      res.writeHead(status, {
        "content-type": "application/json",
        "x-request-id": `req-${index}`,
        "ratelimit-remaining": "4999",
        "set-cookie": "session=do-not-log",
        "x-internal-note": "do-not-log",
      });
      res.end('{"body":"never logged"}');
    });
  });
  afterEach(() => {
    capture?.restore();
    capture = undefined;
  });
  after(() => server.close());

  function tsdoLines(): string[] {
    return (capture?.lines ?? []).filter((line) => line.startsWith("azure:tsdo:"));
  }

  it("logs one info line per attempt: method, path and query, status, duration, attempt, x-request-id, ratelimit-remaining", async () => {
    capture = captureLogs("info");
    const first = server.requests.length;
    await send(testPipeline(server.url), request(`${server.url}/v2/droplets?page=2&per_page=20`));
    const lines = tsdoLines().filter((line) => line.includes("/v2/droplets"));
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(
      lines[0] as string,
      new RegExp(`^azure:tsdo:info GET /v2/droplets\\?page=2&per_page=20 200 \\d+ms attempt=1 x-request-id=req-${first} ratelimit-remaining=4999$`),
    );
  });

  it("numbers retried attempts", async () => {
    capture = captureLogs("info");
    // The server fails even-numbered requests: make this one land on an even index.
    if (server.requests.length % 2 === 1) await send(testPipeline(server.url), request(`${server.url}/v2/account`));
    await send(testPipeline(server.url), request(`${server.url}/v2/flaky`));
    const lines = tsdoLines().filter((line) => / \/v2\/flaky (\d{3}) /.test(line));
    assert.equal(lines.length, 2, tsdoLines().join("\n"));
    assert.match(lines[0] as string, / 503 \d+ms attempt=1 /);
    assert.match(lines[1] as string, / 200 \d+ms attempt=2 /);
    assert.ok(tsdoLines().some((line) => /GET \/v2\/flaky attempt=1 failed \(503\); retrying in \d+ ms/.test(line)));
  });

  it("logs an attempt the timeout cut short as TimeoutError, though the timeout policy is outside it", async () => {
    capture = captureLogs("info");
    await rejection(send(testPipeline(server.url, { timeoutInMs: 50, retryOptions: { maxRetries: 0 } }), request(`${server.url}/v2/stall`)));
    assert.ok(tsdoLines().some((line) => /^azure:tsdo:info GET \/v2\/stall TimeoutError \d+ms attempt=1$/.test(line)), tsdoLines().join("\n"));
  });

  it("logs a failed attempt by error name and system code", async () => {
    capture = captureLogs("info");
    const url = `http://127.0.0.1:${await unusedPort()}`;
    await rejection(send(testPipeline(url, { retryOptions: { maxRetries: 0 } }), request(`${url}/v2/account`)));
    assert.ok(tsdoLines().some((line) => /GET \/v2\/account ConnectionError\(ECONNREFUSED\) \d+ms attempt=1$/.test(line)), tsdoLines().join("\n"));
  });

  it("redacts credential-like query values", async () => {
    capture = captureLogs("info");
    await send(testPipeline(server.url), request(`${server.url}/v2/upload?X-Amz-Signature=abc123&page=1&access_token=zzz`));
    const line = tsdoLines().find((entry) => entry.includes("/v2/upload"));
    assert.ok(line);
    assert.match(line, /\/v2\/upload\?X-Amz-Signature=REDACTED&page=1&access_token=REDACTED /);
  });

  it("at verbose level logs headers outside the allow-list as REDACTED, and never bodies", async () => {
    capture = captureLogs("verbose");
    await send(testPipeline(server.url), request(`${server.url}/v2/account`, { headers: { "x-custom-secret": "hunter2", accept: "application/json" } }));
    const lines = tsdoLines();
    const requestLine = lines.find((line) => line.includes("request headers:"));
    const responseLine = lines.find((line) => line.includes("response headers:"));
    assert.ok(requestLine && responseLine, lines.join("\n"));
    const requestHeaders = JSON.parse(requestLine.slice(requestLine.indexOf("{"))) as Record<string, string>;
    const responseHeaders = JSON.parse(responseLine.slice(responseLine.indexOf("{"))) as Record<string, string>;
    assert.equal(requestHeaders.authorization, "REDACTED");
    assert.equal(requestHeaders["x-custom-secret"], "REDACTED");
    assert.equal(requestHeaders.accept, "application/json");
    assert.match(requestHeaders["user-agent"] ?? "", /^tsdo\//);
    assert.equal(responseHeaders["set-cookie"], "REDACTED");
    assert.equal(responseHeaders["x-internal-note"], "REDACTED");
    assert.equal(responseHeaders["ratelimit-remaining"], "4999");
    assert.match(responseHeaders["x-request-id"] ?? "", /^req-\d+$/);
    const all = capture.lines.join("\n");
    for (const secret of [TOKEN, "hunter2", "do-not-log", "never logged"]) assert.ok(!all.includes(secret), `"${secret}" was logged`);
  });

  it("at verbose level logs a redirect's location with its credentials redacted", async () => {
    capture = captureLogs("verbose");
    const pipeline = testPipeline(server.url);
    pipeline.removePolicy({ name: redirectPolicyName });
    await send(pipeline, request(`${server.url}/v2/presigned`));
    const responseLine = tsdoLines().find((line) => line.includes("response headers:")) ?? "";
    const headers = JSON.parse(responseLine.slice(responseLine.indexOf("{"))) as Record<string, string>;
    assert.equal(headers.location, "https://files.example.test/inv.pdf?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&part=1");
    assert.ok(!capture.lines.join("\n").includes("SECRET"));
  });

  it("at info level logs no headers", async () => {
    capture = captureLogs("info");
    await send(testPipeline(server.url), request(`${server.url}/v2/account`));
    assert.ok(tsdoLines().length > 0);
    assert.ok(!tsdoLines().some((line) => line.includes("headers:")));
  });

  it("logs nothing when logging is off", async () => {
    capture = captureLogs(undefined);
    await send(testPipeline(server.url), request(`${server.url}/v2/flaky`));
    await send(testPipeline(server.url), request(`${server.url}/v2/account`));
    assert.deepEqual(capture.lines, []);
  });
});
