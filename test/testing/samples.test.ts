// Every sample in samples/ run against the fake, so the samples stay true to the API.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countUntilAborted, listWithin } from "../../samples/cancellation.js";
import { saveInvoicePdf, saveKubeconfig } from "../../samples/downloads.js";
import { findDroplet, tryCreate } from "../../samples/errorHandling.js";
import { connectBudget, tagAll, workerClient } from "../../samples/fleet.js";
import { quickstart } from "../../samples/quickstart.js";
import { accountWithHeaders, rawAccount } from "../../samples/rawRequests.js";
import { streamReply } from "../../samples/streaming.js";
import type { DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { startRedisOrSkip } from "../support/redis.js";

describe("samples/ against the fake", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  let dir: string;
  before(async () => {
    fake = await startFakeDigitalOcean({ actionDelayInMs: 10 });
    client = createTestClient(fake, { retryOptions: { maxRetries: 0 } });
    dir = await mkdtemp(join(tmpdir(), "tsdo-samples-"));
  });
  afterEach(() => fake.reset());
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("quickstart: creates, waits and lists by tag", async function () {
    this.timeout(10_000); // waitForAction polls every 2 s by default, as the README's example does
    const printed: unknown[][] = [];
    await quickstart(client, (...values) => printed.push(values));
    const [droplet] = fake.state.droplets.values();
    assert.deepEqual(printed, [["creating", droplet?.id], [droplet?.id, "web-1", "active"]]);
  });

  it("errorHandling: a missing droplet is undefined, an unknown region is DigitalOcean's refusal", async () => {
    assert.equal(await findDroplet(client, 424242), undefined);
    const [seeded] = fake.seed({ droplets: [{ name: "here", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" }] }).droplets;
    assert.equal((await findDroplet(client, seeded!.id))?.name, "here");
    assert.match(await tryCreate(client, "atlantis1"), /^refused: 422 .*invalid region.* \(request .+\)$/);
    assert.match(await tryCreate(client, "nyc3"), /^created \d+$/);
  });

  it("downloads: a kubeconfig as text and an invoice as PDF bytes, saved to files", async () => {
    const kubeconfig = await saveKubeconfig(client, "bd5f5959-5e1e-4205-a714-a914373942af", join(dir, "kubeconfig.yaml"));
    assert.match(kubeconfig, /apiVersion: v1/);
    assert.equal(await readFile(join(dir, "kubeconfig.yaml"), "utf8"), kubeconfig);
    const pdf = await saveInvoicePdf(client, "22737513-0ea7-4206-8ceb-98a575af7681", join(dir, "invoice.pdf"));
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString("latin1"), "%PDF-");
    assert.deepEqual(new Uint8Array(await readFile(join(dir, "invoice.pdf"))), pdf);
  });

  it("rawRequests: sendRequest and onResponse see the raw answer", async () => {
    const raw = await rawAccount(client);
    assert.equal(raw.status, 200);
    assert.ok(raw.requestId);
    assert.ok((raw.body as { account?: unknown }).account);
    assert.match((await accountWithHeaders(client)) ?? "", /^\d+$/);
  });

  it("cancellation: a per-call timeout and an abort signal", async () => {
    fake.faults.latency(300, { operationId: "droplets_list", times: 1 });
    assert.equal(await listWithin(client, 50), "timed out");
    fake.seed({ droplets: Array.from({ length: 3 }, (_, i) => ({ name: `d${i}`, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" })) });
    assert.equal(await countUntilAborted(client, new AbortController().signal), 3);
    fake.faults.latency(300, { operationId: "droplets_list" });
    assert.equal(await countUntilAborted(client, AbortSignal.timeout(50)), "aborted");
  });

  it("fleet: three workers on one token share one budget on Redis, within the fake's limits", async function () {
    const redis = await startRedisOrSkip(this);
    const budget = await connectBudget(redis.url);
    // The fake's limits shrunk (and the workers told) so the shared budget is what paces them: 12 a second.
    const limits = { windows: [{ name: "hour", limit: 12, windowInMs: 1_000 }], routes: [] };
    const limited = await startFakeDigitalOcean({ rateLimit: limits });
    try {
      const droplets = limited.seed({ droplets: Array.from({ length: 21 }, (_, i) => ({ name: `w${i}`, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" })) }).droplets;
      const ids = droplets.map((droplet) => droplet.id);
      const options = { endpoint: limited.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 }, rateLimitOptions: limits };
      const workers = [0, 1, 2].map(() => workerClient(limited.token, budget.store, options));
      const tagged = await Promise.all(workers.map((worker, i) => tagAll(worker, "fleet", ids.slice(i * 7, i * 7 + 7))));
      assert.deepEqual(tagged, [7, 7, 7]);
      assert.equal(limited.executionCount("tags_assign_resources"), 21);
      assert.ok([...limited.state.droplets.values()].every((droplet) => (droplet.tags as string[]).includes("fleet")));
    } finally {
      await limited.close();
      await budget.close();
      await redis.stop();
    }
  });

  it("streaming: a chat completion arrives as chunks, with the inference key", async () => {
    let text = "";
    const chunks = await streamReply(client, "Hi", (part) => (text += part));
    assert.equal(chunks, 1);
    assert.equal(typeof text, "string");
    assert.equal(fake.executionCount("inference_create_chat_completion"), 1);
  });
});
