// Every sample in samples/ run against the fake, so the samples stay true to the API.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countUntilAborted, listWithin } from "../../samples/cancellation.js";
import { saveInvoicePdf, saveKubeconfig } from "../../samples/downloads.js";
import { createClusterWithKubeconfig } from "../../samples/kubernetesCluster.js";
import { findDroplet, tryCreate } from "../../samples/errorHandling.js";
import { quickstart } from "../../samples/quickstart.js";
import { accountWithHeaders, rawAccount } from "../../samples/rawRequests.js";
import { streamReply } from "../../samples/streaming.js";
import type { DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

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
    const [cluster] = fake.seed({ kubernetesClusters: [{ name: "prod", region: "nyc1", version: "1.31.1-do.0", node_pools: [{ name: "pool", size: "s-1vcpu-2gb", count: 1 }] }] }).kubernetesClusters;
    const kubeconfig = await saveKubeconfig(client, cluster!.id, join(dir, "kubeconfig.yaml"));
    assert.match(kubeconfig, /apiVersion: v1/);
    assert.equal(await readFile(join(dir, "kubeconfig.yaml"), "utf8"), kubeconfig);
    const pdf = await saveInvoicePdf(client, "22737513-0ea7-4206-8ceb-98a575af7681", join(dir, "invoice.pdf"));
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString("latin1"), "%PDF-");
    assert.deepEqual(new Uint8Array(await readFile(join(dir, "invoice.pdf"))), pdf);
  });

  it("kubernetesCluster: creates a cluster, waits for it on the virtual clock, writes its kubeconfig", async () => {
    const virtualFake = await startFakeDigitalOcean({ clock: "virtual" });
    try {
      const states: string[] = [];
      const creating = createClusterWithKubeconfig(createTestClient(virtualFake), "prod", join(dir, "prod.yaml"), (state) => states.push(state));
      await virtualFake.clock.runUntilIdle();
      const cluster = await creating;
      assert.equal(cluster.status?.state, "running");
      assert.equal(cluster.name, "prod");
      assert.deepEqual([...new Set(states)], ["provisioning", "running"]);
      assert.match(await readFile(join(dir, "prod.yaml"), "utf8"), new RegExp(`server: https://${cluster.id!}\\.k8s`));
    } finally {
      await virtualFake.close();
    }
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

  it("streaming: a chat completion arrives as chunks, with the inference key", async () => {
    let text = "";
    const chunks = await streamReply(client, "Hi", (part) => (text += part));
    assert.equal(chunks, 1);
    assert.equal(typeof text, "string");
    assert.equal(fake.executionCount("inference_create_chat_completion"), 1);
  });
});
