import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { call, type ErrorBody } from "./helpers.js";

describe("fake DigitalOcean: fault knobs and the execution count", () => {
  let fake: FakeDigitalOcean;
  before(async () => {
    fake = await startFakeDigitalOcean();
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const tag = (name: string) => call(fake, "POST", "/v2/tags", { name });

  it("adds latency, globally or to one operation", async () => {
    // Generous margins: only the delayed requests can take 800 ms, however slow the machine.
    const elapsed = async (path: string) => {
      const started = Date.now();
      await call(fake, "GET", path);
      return Date.now() - started;
    };
    fake.faults.latency(800, { operationId: "account_get" });
    assert.ok((await elapsed("/v2/regions")) < 600, "other operations are not delayed");
    assert.ok((await elapsed("/v2/account")) >= 790, "the targeted operation is delayed");

    fake.faults.clear();
    fake.faults.latency(800, { times: 1 });
    assert.ok((await elapsed("/v2/regions")) >= 790, "every operation is delayed");
    assert.ok((await elapsed("/v2/regions")) < 600, "used up after `times`");
  });

  it("fails the next N requests with a status, without running them", async () => {
    fake.faults.failNext(2, 503, { operationId: "tags_create" });
    const first = await call<ErrorBody>(fake, "POST", "/v2/tags", { name: "a" });
    assert.deepEqual([first.status, first.body.id], [503, "service_unavailable"]);
    assert.equal(first.body.request_id, first.headers.get("x-request-id"));
    assert.equal((await call(fake, "GET", "/v2/account")).status, 200, "other operations pass");
    assert.equal((await tag("a")).status, 503);
    assert.equal((await tag("a")).status, 201);
    assert.equal(fake.executionCount("tags_create"), 1);
    fake.faults.failNext(1, 500);
    assert.equal((await call<ErrorBody>(fake, "GET", "/v2/regions")).body.id, "server_error");
  });

  it("answers 429 with the given retry-after", async () => {
    fake.faults.rateLimitNext(1, 7);
    const refused = await call<ErrorBody>(fake, "GET", "/v2/account");
    assert.deepEqual([refused.status, refused.body.id, refused.headers.get("retry-after")], [429, "too_many_requests", "7"]);
    assert.equal(refused.headers.get("ratelimit-remaining"), "0");
    assert.ok(Number(refused.headers.get("ratelimit-reset")) * 1000 >= Date.now() + 5000, "the window resets after retry-after");
    assert.equal((await call(fake, "GET", "/v2/account")).status, 200);
    assert.equal(fake.executionCount("account_get"), 1);
  });

  it("resets the connection before the operation runs", async () => {
    fake.faults.resetConnection("before", { operationId: "tags_create" });
    await assert.rejects(tag("before"), TypeError);
    assert.equal(fake.executionCount("tags_create"), 0);
    assert.equal(fake.state.tags.size, 0);
    assert.equal((await tag("before")).status, 201, "once by default");
  });

  it("resets the connection after the operation ran (the change is made, the answer is lost)", async () => {
    fake.faults.resetConnection("after", { operationId: "tags_create" });
    await assert.rejects(tag("after"), TypeError);
    assert.equal(fake.executionCount("tags_create"), 1);
    assert.ok(fake.state.tags.has("after"));
  });

  it("stalls the body: half now, the rest after forMs", async () => {
    fake.faults.stallBody({ operationId: "account_get", forMs: 150 });
    const started = Date.now();
    const { status, body } = await call<{ account: { status: string } }>(fake, "GET", "/v2/account");
    assert.equal(status, 200);
    assert.equal(body.account.status, "active");
    assert.ok(Date.now() - started >= 140);
  });

  it("stalls the body until the client gives up", async () => {
    fake.faults.stallBody();
    const { statusCode, received } = await new Promise<{ statusCode: number | undefined; received: string }>((resolve, reject) => {
      const request = httpRequest(`${fake.url}/v2/account`, { headers: { authorization: `Bearer ${fake.token}` } }, (response) => {
        let received = "";
        response.on("data", (chunk: Buffer) => {
          received += chunk.toString();
          // Half the body arrived and no more is coming: give up, as a client timeout would.
          setTimeout(() => {
            request.destroy();
            resolve({ statusCode: response.statusCode, received });
          }, 100);
        });
      });
      request.on("error", reject);
      request.end();
    });
    assert.equal(statusCode, 200);
    assert.ok(received.startsWith('{"account"'));
    assert.throws(() => JSON.parse(received) as unknown);
  });

  it("answers malformed JSON after running the operation", async () => {
    fake.faults.malformedJson({ operationId: "tags_create" });
    const response = await fetch(`${fake.url}/v2/tags`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "garbled" }),
    });
    assert.equal(response.status, 201);
    assert.match(response.headers.get("content-type") ?? "", /json/);
    await assert.rejects(response.json(), SyntaxError);
    assert.ok(fake.state.tags.has("garbled"));
    assert.equal(fake.executionCount("tags_create"), 1);
  });

  it("calls the onExecute hook for each operation that ran", async () => {
    const ran: string[] = [];
    const hooked = await startFakeDigitalOcean({ onExecute: (operationId) => ran.push(operationId) });
    try {
      hooked.faults.failNext(1, 500);
      await call(hooked, "GET", "/v2/account");
      await call(hooked, "GET", "/v2/account");
      await call(hooked, "GET", "/v2/regions");
      assert.deepEqual(ran, ["account_get", "regions_list"]);
    } finally {
      await hooked.close();
    }
  });

  it("counts executions per operation; reset() clears counts and faults", async () => {
    await tag("one");
    await tag("two");
    await call(fake, "GET", "/v2/account");
    await call(fake, "GET", "/v2/account", undefined, { token: "wrong" });
    assert.deepEqual(fake.executionCounts(), { tags_create: 2, account_get: 1 });
    fake.faults.failNext(5, 500);
    fake.reset();
    assert.deepEqual(fake.executionCounts(), {});
    assert.equal((await call(fake, "GET", "/v2/account")).status, 200);
  });
});
