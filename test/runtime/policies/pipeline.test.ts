import { AzureKeyCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import assert from "node:assert/strict";
import { createTsdoPipeline } from "../../../src/pipeline/createPipeline.js";
import {
  bearerAuthPolicyName,
  bufferBodyPolicyName,
  logPolicyName,
  rateLimitPolicyName,
  redirectPolicyName,
  retryPolicyName,
  timeoutPolicyName,
  transportErrorPolicyName,
  userAgentPolicyName,
} from "../../../src/pipeline/index.js";
import { attemptRecorder, request, send, startServer, testPipeline, TOKEN, type TestServer } from "./support.js";

function named(name: string): PipelinePolicy {
  return { name, sendRequest: (req, next) => next(req) };
}

const base = { credential: new AzureKeyCredential(TOKEN), endpoint: "https://api.digitalocean.com" };

describe("createTsdoPipeline", () => {
  it("orders userAgent → retry → rateLimit → bufferBody → redirect → timeout → auth → log → transportErrors, with none of core's policies", () => {
    const names = createTsdoPipeline(base).getOrderedPolicies().map((policy) => policy.name);
    assert.deepEqual(names, [
      userAgentPolicyName,
      retryPolicyName,
      rateLimitPolicyName,
      bufferBodyPolicyName,
      redirectPolicyName,
      timeoutPolicyName,
      bearerAuthPolicyName,
      logPolicyName,
      transportErrorPolicyName,
    ]);
    const unlimited = createTsdoPipeline({ ...base, rateLimitOptions: { enabled: false } }).getOrderedPolicies();
    assert.ok(!unlimited.some((policy) => policy.name === rateLimitPolicyName));
  });

  it("places additional policies: perCall after userAgent, perRetry after auth; proxy only when configured", () => {
    const pipeline = createTsdoPipeline({
      ...base,
      proxyOptions: { host: "http://proxy.internal", port: 3128 },
      additionalPolicies: [
        { policy: named("mine-per-retry"), position: "perRetry" },
        { policy: named("mine-per-call"), position: "perCall" },
      ],
    });
    assert.deepEqual(
      pipeline.getOrderedPolicies().map((policy) => policy.name),
      [
        userAgentPolicyName,
        "mine-per-call",
        retryPolicyName,
        rateLimitPolicyName,
        bufferBodyPolicyName,
        redirectPolicyName,
        timeoutPolicyName,
        bearerAuthPolicyName,
        "mine-per-retry",
        "proxyPolicy",
        logPolicyName,
        transportErrorPolicyName,
      ],
    );
  });

  it("exports distinct tsdo- names for all its policies", () => {
    const names = [userAgentPolicyName, retryPolicyName, rateLimitPolicyName, bufferBodyPolicyName, redirectPolicyName, bearerAuthPolicyName, logPolicyName, timeoutPolicyName, transportErrorPolicyName];
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.match(name, /^tsdo-/);
  });

  describe("at work", () => {
    let server: TestServer;
    before(async () => {
      server = await startServer((_req, res, index) => {
        res.writeHead(index % 2 === 0 ? 503 : 200);
        res.end();
      });
    });
    after(() => server.close());

    it("runs perCall policies once per call and perRetry policies once per attempt", async () => {
      const perCall = attemptRecorder();
      const perRetry = attemptRecorder();
      const pipeline = testPipeline(server.url, {
        additionalPolicies: [
          { policy: { ...perCall.policy, name: "per-call" }, position: "perCall" },
          { policy: { ...perRetry.policy, name: "per-retry" }, position: "perRetry" },
        ],
      });
      const sentBefore = server.requests.length;
      const response = await send(pipeline, request(`${server.url}/v2/account`));
      const sent = server.requests.length - sentBefore;
      assert.equal(response.status, 200);
      assert.equal(perCall.attempts.length, 1);
      assert.equal(perRetry.attempts.length, sent);
      // The server answered 503 then 200: one call, two attempts.
      assert.equal(sent, 2);
    });

    it("lets a policy be removed by its exported name", async () => {
      const pipeline = testPipeline(server.url);
      assert.equal(pipeline.removePolicy({ name: retryPolicyName }).length, 1);
      // The server alternates 503/200: without retries, two calls see one of each.
      const statuses = [(await send(pipeline, request(`${server.url}/v2/a`))).status, (await send(pipeline, request(`${server.url}/v2/b`))).status];
      assert.deepEqual(statuses.sort(), [200, 503]);
    });
  });
});
