import assert from "node:assert/strict";
import { NotFoundError, UnprocessableEntityError, type DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { publicKey } from "./helpers.js";

describe("fake DigitalOcean: with the tsdo client", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  before(async () => {
    fake = await startFakeDigitalOcean({ actionDelayInMs: 20 });
    client = createTestClient(fake, { retryOptions: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 2000 } });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const image = "ubuntu-24-04-x64";

  it("runs the main job: key, droplets, waits, paging, tags, rate limit, cleanup", async () => {
    const { ssh_key: key } = await client.sshKeys.create({ name: "laptop", public_key: publicKey(3) });
    const created = await client.droplets.create({ name: "web-1", region: "nyc3", size: "s-1vcpu-1gb", image, ssh_keys: [key!.id!] });
    assert.ok("droplet" in created);
    const action = await client.waitForAction(created.links.actions![0]!.id!, { pollIntervalInMs: 10 });
    assert.equal(action.status, "completed");
    assert.equal((await client.droplets.get(created.droplet.id)).droplet!.status, "active");

    for (let batch = 0; batch < 3; batch++) {
      const names = Array.from({ length: 10 }, (_, i) => `fleet-${batch * 10 + i}`);
      await client.droplets.create({ names, region: "nyc3", size: "s-1vcpu-1gb", image, tags: ["fleet"] });
    }
    const pages: number[] = [];
    for await (const page of client.droplets.list({ per_page: 10 }).byPage()) pages.push(page.droplets!.length);
    assert.deepEqual(pages, [10, 10, 10, 1]);
    let count = 0;
    for await (const droplet of client.droplets.list({ per_page: 10, tag_name: "fleet" })) {
      assert.ok(droplet.tags.includes("fleet"));
      count += 1;
    }
    assert.equal(count, 30);

    const { action: cycle } = await client.dropletActions.post(created.droplet.id, { type: "power_cycle" });
    assert.equal((await client.waitForAction(cycle!.id!, { pollIntervalInMs: 10 })).type, "power_cycle");

    const rateLimit = client.rateLimit;
    assert.equal(rateLimit?.limit, 5000);
    assert.ok(rateLimit!.remaining < 5000);

    await client.droplets.destroyByTag({ tag_name: "fleet" });
    await client.droplets.destroy(created.droplet.id);
    await client.sshKeys.delete(key!.id!);
    assert.equal((await client.droplets.list()).meta.total, 0);
  });

  it("surfaces the fake's errors as tsdo's error classes", async () => {
    await assert.rejects(client.droplets.get(424242), (error: unknown) => error instanceof NotFoundError && error.id === "not_found" && !!error.requestId);
    await assert.rejects(
      client.droplets.create({ name: "x", size: "s-9000", image }),
      (error: unknown) => error instanceof UnprocessableEntityError && /invalid size/.test(error.message),
    );
  });

  it("retries through injected 429s and 503s, and the execution count shows what ran", async () => {
    fake.faults.rateLimitNext(1, 0, { operationId: "account_get" }).failNext(1, 503, { operationId: "account_get" });
    const { account } = await client.account.get();
    assert.equal(account!.status, "active");
    assert.equal(fake.executionCount("account_get"), 1);
  });

  it("answers operations without stateful behaviour from the fallback table", async () => {
    const balance = await client.balance.get();
    assert.equal(typeof balance.month_to_date_balance, "string");
  });

  it("streams a chat completion as chunk events when asked, and answers JSON otherwise", async () => {
    const request = { model: "llama3.3-70b-instruct", messages: [{ role: "user" as const, content: "Hi" }] };
    const chunks: unknown[] = [];
    for await (const event of await client.inference.createChatCompletion({ ...request, stream: true })) chunks.push(event.data);
    assert.equal(chunks.length, 1);
    assert.equal((chunks[0] as { object?: string }).object, "chat.completion.chunk");
    const completion = await client.inference.createChatCompletion(request);
    assert.ok(Array.isArray(completion.choices));
  });

  it("plays the inference host with its own key: the API token is refused there", async () => {
    const { data } = await client.inference.listModels();
    assert.ok(Array.isArray(data));
    const withApiToken = createTestClient(fake, { inferenceKey: fake.token, retryOptions: { maxRetries: 0 } });
    await assert.rejects(withApiToken.inference.listModels(), (error: Error) => error.name === "AuthenticationError");
  });
});
