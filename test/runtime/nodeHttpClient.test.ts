import assert from "node:assert/strict";
import nock from "nock";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { NodeHttpClient } from "../../src/pipeline/nodeHttpClient.js";
import { describeTransport } from "./transportContract.js";

describeTransport("NodeHttpClient", () => new NodeHttpClient(), "../../src/pipeline/nodeHttpClient.js", "NodeHttpClient", ({ server }) => {
  it("runs over real sockets: nock is off outside the suites that turn it on", () => {
    assert.equal(nock.isActive(), false);
  });

  it("reuses one keep-alive connection", async () => {
    // In a child process: nock, loaded by other test files, swaps sockets for its own in this one.
    const script = `
      const { NodeHttpClient } = require(${JSON.stringify(require.resolve("../../src/pipeline/nodeHttpClient.js"))});
      const { createPipelineRequest } = require("@azure/core-rest-pipeline");
      const client = new NodeHttpClient();
      const get = async (path) => {
        const request = createPipelineRequest({ url: ${JSON.stringify(server().url)} + path, method: "GET" });
        request.allowInsecureConnection = true;
        return JSON.parse((await client.sendRequest(request)).bodyAsText).port;
      };
      (async () => console.log(JSON.stringify([await get("/a"), await get("/b"), await get("/c")])))();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: process.cwd() });
    const ports = JSON.parse(stdout) as number[];
    assert.equal(new Set(ports).size, 1, `ports: ${ports.join(", ")}`);
  });
});
