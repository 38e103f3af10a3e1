// Every sample in samples/ run against the fake, so the samples stay true to the API: each one's
// functions in-process (checking what they return and leave behind), and each one as the program
// a user runs (node build/samples/<name>.js, no token: against the fake).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { countUntilAborted, listWithin } from "../../samples/cancellation.js";
import { correlationIdPolicy, customizePipeline } from "../../samples/customPolicy.js";
import { manageRecords } from "../../samples/domains.js";
import { saveInvoicePdf, saveKubeconfig } from "../../samples/downloads.js";
import { createClusterWithKubeconfig } from "../../samples/kubernetesCluster.js";
import { createWaitDelete } from "../../samples/dropletLifecycle.js";
import { describeError, findDroplet, tryCreate } from "../../samples/errorHandling.js";
import { connectBudget, tagAll, workerClient } from "../../samples/fleet.js";
import { webFirewall } from "../../samples/firewalls.js";
import { inventory } from "../../samples/inventory.js";
import { walkDroplets } from "../../samples/resumePageWalk.js";
import { saveLatestInvoice } from "../../samples/invoicePdf.js";
import { loggedCalls } from "../../samples/logging.js";
import { quickstart } from "../../samples/quickstart.js";
import { accountWithHeaders, rawAccount } from "../../samples/rawRequests.js";
import { streamReply } from "../../samples/streaming.js";
import { attachAndDetach } from "../../samples/volumes.js";
import { InternalServerError, type DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { startRedisOrSkip } from "../support/redis.js";

const SAMPLES_SOURCE = resolve(__dirname, "..", "..", "..", "samples");
const SAMPLES_BUILD = resolve(__dirname, "..", "..", "samples");
const noLog = (): void => undefined;
const shape = { size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" };

/** Runs a compiled sample as a program; resolves with its exit code and output. */
function runProgram(name: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(SAMPLES_BUILD, `${name}.js`), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 40_000);
    child.once("error", fail);
    child.once("exit", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

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

  it("inventory: every resource of every kind, across pages", async () => {
    fake.seed({ droplets: Array.from({ length: 25 }, (_, i) => ({ name: `web-${i}`, ...shape })), volumes: [{ name: "data", size_gigabytes: 10, region: "nyc3" }] });
    const found = await inventory(client, 10);
    assert.equal(found.droplets!.length, 25);
    assert.equal(found.droplets![24], "web-24 (nyc3, active)");
    assert.deepEqual(found.volumes, ["data (10 GiB)"]);
    assert.equal(fake.executionCount("droplets_list"), 3); // 10 + 10 + 5, no request past the last page
  });

  it("resumePageWalk: a walk stopped after page 2 resumes from its stored token and sees every droplet once", async () => {
    fake.seed({ droplets: Array.from({ length: 35 }, (_, i) => ({ name: `w-${i}`, ...shape })) });
    let stored: string | undefined;
    const checkpoint = { load: () => stored, save: (token: string | undefined) => void (stored = token) };
    const first = await walkDroplets(client, checkpoint, 10, 2);
    assert.deepEqual(first, { names: Array.from({ length: 20 }, (_, i) => `w-${i}`), finished: false });
    assert.ok(stored !== undefined);
    const second = await walkDroplets(client, checkpoint, 10);
    assert.deepEqual(second, { names: Array.from({ length: 15 }, (_, i) => `w-${i + 20}`), finished: true });
    assert.equal(stored, undefined);
    assert.equal(fake.executionCount("droplets_list"), 4); // pages 1, 2, then 3 and 4: none twice
  });

  it("dropletLifecycle: the droplet becomes active, then is gone", async () => {
    const seen = await createWaitDelete(client, 10, noLog);
    assert.equal(seen.status, "active");
    assert.match(seen.ip ?? "", /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(seen.gone, true);
    assert.equal(fake.state.droplets.size, 0);
  });

  it("volumes: attached, detached, deleted", async () => {
    const [droplet] = fake.seed({ droplets: [{ name: "app", ...shape }] }).droplets;
    assert.deepEqual(await attachAndDetach(client, droplet!.id, 10, noLog), [[droplet!.id], []]);
    assert.equal(fake.state.volumes.size, 0);
  });

  it("domains: records created, changed, listed and deleted, then the domain", async () => {
    const records = await manageRecords(client, "sample.example.com", "198.51.100.10", noLog);
    assert.ok(records.includes("A www 198.51.100.7"), records.join("; "));
    assert.ok(records.includes("CNAME blog www.sample.example.com."), records.join("; "));
    assert.equal(fake.state.domains.size, 0);
  });

  it("firewalls: created with rules, one more added, deleted", async () => {
    fake.seed({ tags: ["web"] });
    assert.deepEqual(await webFirewall(client, "web", noLog), ["tcp/22", "tcp/80", "tcp/443"]);
    assert.equal(fake.state.firewalls.size, 0);
  });

  it("invoicePdf: the newest invoice saved as a PDF", async () => {
    const saved = await saveLatestInvoice(client, dir);
    assert.ok(saved);
    assert.equal((await readFile(saved.file, "latin1")).slice(0, 5), "%PDF-");
  });

  it("customPolicy: a policy added, one removed and one replaced by name", async () => {
    const own = createTestClient(fake);
    assert.deepEqual(await customizePipeline(own, "run-1"), { correlationId: "run-1", userAgent: "inventory-bot/2.0" });
    // With the retry policy removed, one 503 fails the call.
    fake.faults.failNext(1, 503);
    await assert.rejects(own.account.get(), InternalServerError);
    assert.equal(correlationIdPolicy("x").name, "correlation-id");
  });

  it("logging: one line per request, without the token", async () => {
    const lines = await loggedCalls(client);
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[0]!, /GET \/v2\/account 200/);
    assert.match(lines[1]!, /GET \/v2\/droplets\/424242 404/);
    assert.ok(!lines.join("\n").includes(fake.token));
  });

  it("errorHandling: each kind of failure described by its type", async () => {
    assert.match(await client.droplets.get(1).then(() => "", describeError), /^not found \(request .+\)$/);
    fake.faults.rateLimitNext(1, 7);
    // Without the client-side limiter: it would hold every later call of this token for the 7 s asked.
    const unpaced = createTestClient(fake, { retryOptions: { maxRetries: 0 }, rateLimitOptions: { enabled: false } });
    assert.equal(await unpaced.account.get().then(() => "", describeError), "rate limited: retry in 7000 ms");
    const wrongToken = createTestClient({ ...fake, token: "not-the-token" }, { retryOptions: { maxRetries: 0 } });
    assert.equal(await wrongToken.account.get().then(() => "", describeError), "the token is missing, wrong or revoked (401)");
    fake.faults.latency(300, { operationId: "account_get", times: 1 });
    assert.equal(await client.account.get({ timeoutInMs: 50 }).then(() => "", describeError), "no answer within 50 ms");
    assert.equal(await client.account.get({ abortSignal: AbortSignal.abort() }).then(() => "", describeError), "cancelled");
    fake.faults.failNext(1, 500);
    assert.match(await client.account.get().then(() => "", describeError), /^DigitalOcean answered 500 /);
  });

  describe("as programs", function () {
    this.timeout(120_000);
    const withoutToken = { ...process.env };
    delete withoutToken.DIGITALOCEAN_TOKEN;
    // Every program in samples/ (the demo has its own test; run.ts is their runner).
    const programs = readdirSync(SAMPLES_SOURCE)
      .filter((file) => file.endsWith(".ts") && !["run.ts", "demo.ts"].includes(file))
      .map((file) => file.slice(0, -".ts".length));

    it("there are at least 14 samples, and each runs against the fake by default", async () => {
      assert.ok(programs.length + 1 >= 14, `${programs.length + 1} samples`);
      const failures: string[] = [];
      // Three at a time: each starts its own fake.
      for (let i = 0; i < programs.length; i += 3) {
        await Promise.all(
          programs.slice(i, i + 3).map(async (name) => {
            const { code, output } = await runProgram(name, withoutToken);
            if (code !== 0 || !output.includes("(no DIGITALOCEAN_TOKEN: against a fake DigitalOcean API")) failures.push(`${name} (exit ${code}):\n${output}`);
          }),
        );
      }
      assert.deepEqual(failures, []);
    });

    it("with a token, a sample that creates resources does nothing without --create", async () => {
      const { code, output } = await runProgram("dropletLifecycle", { ...withoutToken, DIGITALOCEAN_TOKEN: "dop_v1_not_a_real_token" });
      assert.equal(code, 0);
      assert.match(output, /add --create to run it/);
    });
  });
});
