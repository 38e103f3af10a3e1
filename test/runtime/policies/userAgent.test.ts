import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SDK_VERSION, userAgentValue } from "../../../src/pipeline/userAgentPolicy.js";
import { request, send, startServer, testPipeline, type TestServer } from "./support.js";

/** The repository's package.json, found by walking up from the compiled test (build/test/…) or its source. */
function packageJson(): { name: string; version: string } {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, "utf8")) as { name: string; version: string };
      if (parsed.name === "tsdo") return parsed;
    }
  }
  throw new Error("tsdo's package.json not found above " + __dirname);
}

describe("userAgentPolicy", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.end("{}"));
  });
  after(() => server.close());

  it("SDK_VERSION equals package.json's version", () => {
    assert.equal(SDK_VERSION, packageJson().version);
  });

  it("sends tsdo/<version> Node/<version> (<platform>)", async () => {
    await send(testPipeline(server.url), request(`${server.url}/v2/account`));
    const expected = `tsdo/${SDK_VERSION} Node/${process.version.slice(1)} (${process.platform})`;
    assert.equal(server.requests.at(-1)?.headers["user-agent"], expected);
    assert.match(expected, /^tsdo\/\d+\.\d+\.\d+\S* Node\/\d+\.\d+\.\d+ \(\w+\)$/);
  });

  it("puts userAgentPrefix in front", async () => {
    await send(testPipeline(server.url, { userAgentPrefix: "my-app/1.2" }), request(`${server.url}/v2/account`));
    assert.equal(server.requests.at(-1)?.headers["user-agent"], `my-app/1.2 ${userAgentValue()}`);
  });

  it("keeps a User-Agent the caller set on the request", async () => {
    await send(testPipeline(server.url), request(`${server.url}/v2/account`, { headers: { "User-Agent": "custom/9" } }));
    assert.equal(server.requests.at(-1)?.headers["user-agent"], "custom/9");
  });

  it("sends no x-ms-client-request-id (nor any other x-ms- header)", async () => {
    await send(testPipeline(server.url), request(`${server.url}/v2/account`));
    const headers = server.requests.at(-1)?.headers ?? {};
    assert.ok(Object.keys(headers).length > 0);
    assert.equal(headers["x-ms-client-request-id"], undefined);
    assert.deepEqual(Object.keys(headers).filter((name) => name.startsWith("x-ms-")), []);
  });
});
