import assert from "node:assert/strict";
import { inspect } from "node:util";
import { ConnectionError, DigitalOceanError, RateLimitError, TimeoutError } from "../../../src/core/errors.js";
import { InsecureConnectionError } from "../../../src/core/errors.js";
import { captureLogs, rejection, request, send, startServer, testPipeline, TOKEN, unusedPort, type TestServer } from "./support.js";

/** Every way an error gets printed or serialized. */
function renderings(error: Error): Record<string, string> {
  return {
    message: error.message,
    stack: error.stack ?? "",
    string: String(error),
    json: JSON.stringify(error),
    inspect: inspect(error),
    inspectHidden: inspect(error, { showHidden: true, depth: 10 }),
    cause: error.cause === undefined ? "" : inspect(error.cause, { depth: 10 }),
  };
}

function assertTokenFree(error: Error): void {
  for (const [form, text] of Object.entries(renderings(error))) {
    assert.ok(!text.includes(TOKEN), `the token appears in ${error.name}'s ${form}:\n${text}`);
  }
}

describe("the token never leaks", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      switch (req.url) {
        case "/v2/unauthorized":
          res.writeHead(401, { "content-type": "application/json", "x-request-id": "r1" });
          return void res.end('{"id":"unauthorized","message":"Unable to authenticate you"}');
        case "/v2/limited":
          res.writeHead(429, { "content-type": "application/json", "retry-after": "3600" });
          return void res.end('{"id":"too_many_requests","message":"API Rate limit exceeded."}');
        case "/v2/broken":
          res.writeHead(500);
          return void res.end("oops");
        case "/v2/reset":
          return void req.socket.destroy();
        case "/v2/stall":
          return;
        default:
          res.end("{}");
      }
    });
  });
  after(() => server.close());

  const fast = { retryOptions: { maxRetries: 1 }, timeoutInMs: 150 };

  it("from HTTP errors built from pipeline responses", async () => {
    for (const path of ["/v2/unauthorized", "/v2/broken"]) {
      const response = await send(testPipeline(server.url, fast), request(`${server.url}${path}`));
      assert.equal(response.request.headers.get("authorization"), `Bearer ${TOKEN}`, "the test needs the token on the request");
      const error = DigitalOceanError.fromResponse(response);
      assert.ok(error instanceof DigitalOceanError);
      assertTokenFree(error);
    }
  });

  it("from the RateLimitError the retry policy throws", async () => {
    const error = await rejection(send(testPipeline(server.url, fast), request(`${server.url}/v2/limited`)));
    assert.ok(error instanceof RateLimitError, `got ${error.name}`);
    assertTokenFree(error);
  });

  it("from connection errors (reset, refused)", async () => {
    const reset = await rejection(send(testPipeline(server.url, fast), request(`${server.url}/v2/reset`)));
    assert.ok(reset instanceof ConnectionError, `got ${reset.name}`);
    assertTokenFree(reset);
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const refused = await rejection(send(testPipeline(url, fast), request(`${url}/v2/account`)));
    assert.ok(refused instanceof ConnectionError, `got ${refused.name}`);
    assertTokenFree(refused);
  });

  it("from timeout errors", async () => {
    const error = await rejection(send(testPipeline(server.url, fast), request(`${server.url}/v2/stall`)));
    assert.ok(error instanceof TimeoutError, `got ${error.name}`);
    assertTokenFree(error);
  });

  it("from the insecure-connection refusal", async () => {
    const error = await rejection(send(testPipeline("http://api.example.com", { allowInsecureConnection: false }), request(`http://api.example.com/v2/account`)));
    assert.ok(error instanceof InsecureConnectionError);
    assertTokenFree(error);
  });

  it("from all log output at verbose level", async () => {
    const capture = captureLogs("verbose");
    try {
      const pipeline = testPipeline(server.url, fast);
      for (const path of ["/v2/account", "/v2/unauthorized", "/v2/broken", "/v2/reset", "/v2/stall", "/v2/limited"]) {
        await send(pipeline, request(`${server.url}${path}`)).catch(() => undefined);
      }
    } finally {
      capture.restore();
    }
    assert.ok(capture.lines.length >= 12, `only ${capture.lines.length} lines captured`);
    assert.ok(capture.lines.some((line) => line.includes("authorization")), "request headers were not logged at all");
    const all = capture.lines.join("\n");
    assert.ok(!all.includes(TOKEN), "the token was logged");
    assert.ok(!all.includes("Bearer"), "an Authorization value was logged");
  });
});
