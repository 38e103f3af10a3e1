import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** Runs `script` (CommonJS) in a fresh Node process, where nothing has loaded core yet, and returns its JSON line. */
async function fresh(script: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: process.cwd() });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
}

const loadedPackages = `Object.keys(require.cache).map((f) => f.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)/)?.[1]).filter(Boolean)`;
const tsdo = JSON.stringify(require.resolve("../../src/index.js"));

describe("start-up: core is loaded by the first request, not by import", () => {
  it("importing tsdo and constructing a client loads none of core-rest-pipeline, core-auth, core-util, the logger or the proxy stack", async () => {
    const result = await fresh(`
      const { DigitalOceanClient, createPipelineRequest, createHttpHeaders } = require(${tsdo});
      new DigitalOceanClient("dop_v1_test");
      createPipelineRequest({ url: "https://example.test", headers: createHttpHeaders({ a: "1" }) });
      console.log(JSON.stringify({ packages: [...new Set(${loadedPackages})] }));
    `);
    const packages = result.packages as string[];
    for (const heavy of ["@azure/core-rest-pipeline", "@azure/core-auth", "@azure/core-util", "@azure/core-tracing", "@azure/logger", "@typespec/ts-http-runtime", "https-proxy-agent", "http-proxy-agent", "debug"]) {
      assert.ok(!packages.includes(heavy), `${heavy} was loaded: ${packages.join(", ")}`);
    }
  });

  it("withOptions works before the first request, and the child shares the parent's auth policy", async () => {
    const result = await fresh(`
      const http = require("node:http");
      const { DigitalOceanClient } = require(${tsdo});
      const seen = [];
      const server = http.createServer((req, res) => { seen.push(req.headers["x-child"] ?? null); res.writeHead(200, { "content-type": "application/json" }); res.end('{"account":{}}'); });
      server.listen(0, "127.0.0.1", async () => {
        const parent = new DigitalOceanClient("dop_v1_test", { endpoint: "http://127.0.0.1:" + server.address().port, allowInsecureConnection: true });
        const child = parent.withOptions({ headers: { "x-child": "yes" } });
        await child.account.get();
        await parent.account.get();
        const auth = (c) => c.pipeline.getOrderedPolicies().find((p) => p.name === "tsdo-bearer-auth");
        console.log(JSON.stringify({ seen, sameAuth: auth(child) === auth(parent) }));
        server.close(); parent.close();
      });
    `);
    assert.deepEqual(result.seen, ["yes", null]);
    assert.equal(result.sameAuth, true);
  });

  it("the logger, loaded by the first request, writes that request's line and a retry's", async () => {
    const result = await fresh(`
      const http = require("node:http");
      const { DigitalOceanClient } = require(${tsdo});
      let calls = 0;
      const server = http.createServer((req, res) => {
        res.writeHead(++calls === 1 ? 503 : 200, { "content-type": "application/json" });
        res.end('{"account":{}}');
      });
      server.listen(0, "127.0.0.1", async () => {
        const lines = [];
        const client = new DigitalOceanClient("dop_v1_test", { endpoint: "http://127.0.0.1:" + server.address().port, allowInsecureConnection: true, retryOptions: { retryDelayInMs: 1 } });
        const loggerBefore = Object.keys(require.cache).some((f) => f.includes("@azure/logger"));
        const pending = client.account.get();
        const { AzureLogger, setLogLevel } = require("@azure/logger");
        setLogLevel("info");
        AzureLogger.log = (...args) => lines.push(require("node:util").format(...args));
        await pending;
        console.log(JSON.stringify({ loggerBefore, lines: lines.map((line) => line.replace(/ \\d+ms/, " Nms").replace(/retrying in \\d+ ms/, "retrying in N ms").replace(/x-request-id=\\S+ /, "")) }));
        server.close();
      });
    `);
    assert.deepEqual(result, {
      loggerBefore: false,
      lines: [
        "azure:tsdo:info GET /v2/account 503 Nms attempt=1 ratelimit-remaining=-",
        "azure:tsdo:info GET /v2/account attempt=1 failed (503); retrying in N ms",
        "azure:tsdo:info GET /v2/account 200 Nms attempt=2 ratelimit-remaining=-",
      ],
    });
  });

  it("once a request is sent: every policy in place, and tsdo's errors are core's RestErrors, even one made before", async () => {
    const result = await fresh(`
      const http = require("node:http");
      const { DigitalOceanClient, NotFoundError, RestError: TsdoRestError, isRestError: tsdoIsRestError } = require(${tsdo});
      const early = new NotFoundError("made before core loaded", 404, {});
      const server = http.createServer((req, res) => { res.writeHead(404, { "content-type": "application/json" }); res.end('{"id":"not_found","message":"nope"}'); });
      server.listen(0, "127.0.0.1", async () => {
        const client = new DigitalOceanClient("dop_v1_test", { endpoint: "http://127.0.0.1:" + server.address().port, allowInsecureConnection: true });
        const proxied = new DigitalOceanClient("dop_v1_test", { proxyOptions: { host: "http://127.0.0.1", port: 9 } });
        let error;
        try { await client.droplets.get(1); } catch (e) { error = e; }
        const core = require("@azure/core-rest-pipeline");
        const coreError = new core.RestError("core's own");
        console.log(JSON.stringify({
          name: error.name, statusCode: error.statusCode,
          isRestError: core.isRestError(error), instanceOfCore: error instanceof core.RestError, instanceOfNotFound: error instanceof NotFoundError,
          earlyIsRestError: core.isRestError(early), coreErrorIsTsdoRestError: coreError instanceof TsdoRestError && tsdoIsRestError(coreError),
          inspectRedacts: !require("node:util").inspect(error).includes("dop_v1_test"),
          policies: client.pipeline.getOrderedPolicies().map((p) => p.name), proxiedPolicies: proxied.pipeline.getOrderedPolicies().map((p) => p.name),
        }));
        server.close();
      });
    `);
    assert.deepEqual(result, {
      name: "NotFoundError",
      statusCode: 404,
      isRestError: true,
      instanceOfCore: true,
      instanceOfNotFound: true,
      earlyIsRestError: true,
      coreErrorIsTsdoRestError: true,
      inspectRedacts: true,
      policies: ["tsdo-user-agent", "tsdo-retry", "tsdo-rate-limit", "tsdo-buffer-body", "tsdo-redirect", "tsdo-timeout", "tsdo-bearer-auth", "tsdo-log", "tsdo-transport-errors"],
      proxiedPolicies: ["tsdo-user-agent", "tsdo-retry", "tsdo-rate-limit", "tsdo-buffer-body", "tsdo-redirect", "tsdo-timeout", "tsdo-bearer-auth", "proxyPolicy", "tsdo-log", "tsdo-transport-errors"],
    });
  });
});
