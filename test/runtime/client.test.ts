import assert from "node:assert/strict";
import nock from "nock";
import { useNock } from "../support/nock.js";
import { createPipelineRequest, isRestError } from "@azure/core-rest-pipeline";
import {
  ActionFailedError,
  DigitalOceanClient,
  GeneratedClient,
  NotFoundError,
  RateLimitError,
  retryPolicyName,
  userAgentPolicyName,
} from "../../src/index.js";

const API = "https://api.digitalocean.com";

describe("DigitalOceanClient", () => {
  const savedToken = process.env.DIGITALOCEAN_TOKEN;
  useNock();
  afterEach(() => {
    if (savedToken === undefined) delete process.env.DIGITALOCEAN_TOKEN;
    else process.env.DIGITALOCEAN_TOKEN = savedToken;
  });

  it("sends the given token, trimmed", async () => {
    const scope = nock(API, { reqheaders: { authorization: "Bearer tok-1" } }).get("/v2/account").reply(200, { account: {} });
    await new DigitalOceanClient("  tok-1\n").account.get();
    assert.ok(scope.isDone());
  });

  it("falls back to DIGITALOCEAN_TOKEN", async () => {
    process.env.DIGITALOCEAN_TOKEN = "env-token";
    const scope = nock(API, { reqheaders: { authorization: "Bearer env-token" } }).get("/v2/account").reply(200, { account: {} });
    await new DigitalOceanClient().account.get();
    assert.ok(scope.isDone());
  });

  it("without a token, throws an error naming both ways to give one", () => {
    delete process.env.DIGITALOCEAN_TOKEN;
    assert.throws(() => new DigitalOceanClient(), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /new DigitalOceanClient\(token\)/);
      assert.match(error.message, /DIGITALOCEAN_TOKEN/);
      return true;
    });
    assert.throws(() => new DigitalOceanClient("   "), /No API token/);
  });

  it("is a GeneratedClient with every group built lazily and cached", () => {
    const client = new DigitalOceanClient("t");
    assert.ok(client instanceof GeneratedClient);
    assert.equal(Object.getOwnPropertyNames(client).includes("droplets"), false);
    const droplets = client.droplets;
    assert.equal(typeof droplets.list, "function");
    assert.equal(client.droplets, droplets);
  });

  it("rejects an invalid endpoint", () => {
    assert.throws(() => new DigitalOceanClient("t", { endpoint: "not a url" }), /"endpoint" is not a valid URL/);
  });

  it("sendRequest resolves relative URLs against the endpoint (path prefix kept) and returns any status", async () => {
    const scope = nock("https://proxy.example.test").get("/do/v2/nothing").reply(404, { id: "not_found" });
    const client = new DigitalOceanClient("t", { endpoint: "https://proxy.example.test/do/" });
    const response = await client.sendRequest(createPipelineRequest({ url: "/v2/nothing", method: "GET" }));
    assert.equal(response.status, 404);
    assert.ok(scope.isDone());
  });

  it("keeps the latest rate-limit headroom as client.rateLimit", async () => {
    const client = new DigitalOceanClient("t");
    assert.equal(client.rateLimit, undefined);
    nock(API).get("/v2/account").reply(200, { account: {} }, { "ratelimit-limit": "5000", "ratelimit-remaining": "4321", "ratelimit-reset": "1700000000" });
    await client.account.get();
    const { queued, nextFreeSlotAt, ...reading } = client.rateLimit!;
    assert.deepEqual(reading, { limit: 5000, remaining: 4321, resetAt: new Date(1_700_000_000_000) });
    assert.equal(queued, 0);
    assert.ok(nextFreeSlotAt.getTime() <= Date.now());
  });

  it("gives typed errors that are RestErrors and carry the rate limit", async () => {
    nock(API)
      .get("/v2/droplets/1")
      .reply(404, { id: "not_found", message: "nope", request_id: "r1" }, { "ratelimit-limit": "5000", "ratelimit-remaining": "10", "ratelimit-reset": "1700000000" });
    await assert.rejects(new DigitalOceanClient("t", { retryOptions: { maxRetries: 0 } }).droplets.get(1), (error: NotFoundError) => {
      assert.ok(error instanceof NotFoundError && isRestError(error));
      assert.equal(error.rateLimit?.remaining, 10);
      return true;
    });
  });

  it("throws a RateLimitError at once when the wait exceeds maxRetryDelayInMs, and still records the headroom", async () => {
    nock(API)
      .get("/v2/account")
      .reply(429, { id: "too_many_requests", message: "slow down" }, { "retry-after": "3600", "ratelimit-limit": "250", "ratelimit-remaining": "0", "ratelimit-reset": "1700000000" });
    const client = new DigitalOceanClient("t", { retryOptions: { maxRetryDelayInMs: 1000 } });
    await assert.rejects(client.account.get(), (error: RateLimitError) => error instanceof RateLimitError && error.retryAfterInMs === 3_600_000);
    assert.equal(client.rateLimit?.remaining, 0);
  });

  it("rejects bad credentials and options up front, naming them", () => {
    assert.throws(() => new GeneratedClient("a string" as never), /credential must be a TokenCredential or a KeyCredential/);
    assert.throws(() => new GeneratedClient({} as never), /credential must be/);
    assert.throws(() => new DigitalOceanClient("t", { inferenceKey: " " }), /The inferenceKey is empty/);
    assert.throws(() => new DigitalOceanClient("t", { agentKey: "k" }), /"agentKey" needs "agentEndpoint"/);
    assert.throws(() => new DigitalOceanClient("t", { timeoutInMs: -1 }), RangeError);
  });

  it("rejects a per-call timeout that is not a positive number, sending nothing", async () => {
    const client = new DigitalOceanClient("t");
    await assert.rejects(client.account.get({ timeoutInMs: 0 }), /account_get: timeoutInMs must be a positive number/);
  });

  it("lets users remove policies by name", async () => {
    const client = new DigitalOceanClient("t");
    client.pipeline.removePolicy({ name: retryPolicyName });
    client.pipeline.removePolicy({ name: userAgentPolicyName });
    const names = client.pipeline.getOrderedPolicies().map((policy) => policy.name);
    assert.ok(!names.includes(retryPolicyName) && !names.includes(userAgentPolicyName));
    const scope = nock(API).get("/v2/account").once().reply(503, {});
    await assert.rejects(client.account.get(), /503/);
    assert.ok(scope.isDone());
  });

  it("waitForAction polls GET /v2/actions/{id}, for one action or a links.actions array", async () => {
    const client = new DigitalOceanClient("t");
    nock(API)
      .get("/v2/actions/7")
      .reply(200, { action: { id: 7, status: "in-progress", type: "create" } })
      .get("/v2/actions/7")
      .reply(200, { action: { id: 7, status: "completed", type: "create" } })
      .get("/v2/actions/8")
      .reply(200, { action: { id: 8, status: "completed", type: "create" } });
    const actions = await client.waitForAction([{ id: 7 }, { id: 8 }], { pollIntervalInMs: 1 });
    assert.deepEqual(actions.map((a) => [a.id, a.status]), [[7, "completed"], [8, "completed"]]);
    nock(API).get("/v2/actions/9").reply(200, { action: { id: 9, status: "errored", type: "power_on" } });
    await assert.rejects(client.waitForAction(9), (error: ActionFailedError) => error instanceof ActionFailedError && error.action.id === 9);
  });

  it("sends inference calls to the inference host with the model key, never the API token", async () => {
    const scope = nock("https://inference.do-ai.run", { reqheaders: { authorization: "Bearer model-key" } })
      .get("/v1/models")
      .reply(200, { object: "list", data: [] });
    const client = new DigitalOceanClient("api-token", { inferenceKey: "model-key" });
    await client.inference.listModels();
    assert.ok(scope.isDone());
    const bare = nock("https://inference.do-ai.run", { badheaders: ["authorization"] }).get("/v1/models").reply(200, { object: "list", data: [] });
    await new DigitalOceanClient("api-token").inference.listModels();
    assert.ok(bare.isDone());
  });

  it("picks the credential by base URL when one gateway serves both the API and inference", async () => {
    const gateway = "https://gw.example.test";
    const scope = nock(gateway)
      .get("/inference/v1/models")
      .matchHeader("authorization", "Bearer model-key")
      .reply(200, { object: "list", data: [] })
      .get("/do/v2/account")
      .matchHeader("authorization", "Bearer api-token")
      .reply(200, { account: {} });
    const client = new DigitalOceanClient("api-token", { endpoint: `${gateway}/do`, inferenceEndpoint: `${gateway}/inference`, inferenceKey: "model-key" });
    await client.inference.listModels();
    await client.account.get();
    assert.ok(scope.isDone());
    assert.throws(
      () => new DigitalOceanClient("api-token", { endpoint: gateway, inferenceEndpoint: gateway, inferenceKey: "model-key" }),
      /Two credentials are configured/,
    );
  });

  it("asks for agentEndpoint before an agent call", async () => {
    await assert.rejects(new DigitalOceanClient("t").agentInference.createChatCompletion({ messages: [], model: "m" } as never, { agent: true } as never), /agentEndpoint/);
  });
});
