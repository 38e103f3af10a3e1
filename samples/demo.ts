/**
 * tsdo's main job, end to end: an SSH key, a droplet and its boot, a tagged fleet, paging, a power
 * cycle, the rate-limit headroom, and cleanup.
 *
 *   npm run demo                      no token: everything runs against an in-process fake API
 *   DIGITALOCEAN_TOKEN=… npm run demo read-only calls against the real API (account, regions, sizes, droplets)
 *   DIGITALOCEAN_TOKEN=… npm run demo -- --create
 *                                     the whole job against the real API (creates, then deletes, 31 droplets)
 */
import { generateKeyPairSync } from "node:crypto";
import { DigitalOceanClient, type ActionState } from "../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../src/testing/index.js";

const fleetTag = "tsdo-demo-fleet";
const fleetSize = 30;
/** DigitalOcean creates at most ten droplets per request. */
const batchSize = 10;
const dropletShape = { region: "nyc3", size: "s-1vcpu-512mb-10gb", image: "ubuntu-24-04-x64" };

const startedAt = Date.now();

function say(step: string, text: string): void {
  console.log(`${step.padEnd(14)} ${text}`);
}

function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}

/** A fresh ed25519 public key in OpenSSH's one-line format (the private half is thrown away). */
function newPublicKey(): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  // OpenSSH's wire format: each field is a 4-byte big-endian length, then the bytes.
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const blob = Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]);
  return `ssh-ed25519 ${blob.toString("base64")} tsdo-demo`;
}

/** Waits for an action, printing a dot per poll so a slow action visibly makes progress. */
async function waitVisibly(client: DigitalOceanClient, actionId: number, pollIntervalInMs: number): Promise<void> {
  const since = Date.now();
  process.stdout.write(`${"".padEnd(14)} waiting for action ${actionId} `);
  const action = await client.waitForAction(actionId, {
    pollIntervalInMs,
    onPoll: (polled: ActionState) => process.stdout.write(polled.status === "in-progress" ? "." : " "),
  });
  console.log(`${action.status} in ${seconds(since)}`);
}

/** Waits until the droplet is active with its public IPv4 (a resource waiter), printing a dot per poll. */
async function waitForDroplet(client: DigitalOceanClient, dropletId: number, pollIntervalInMs: number): Promise<void> {
  const since = Date.now();
  process.stdout.write(`${"".padEnd(14)} waiting for droplet ${dropletId} `);
  const droplet = await client.waitFor.droplet(dropletId, {
    pollIntervalInMs,
    onPoll: (polled) => process.stdout.write(polled.status === "active" ? " " : "."),
  });
  const address = droplet.networks?.v4?.find((network) => network.type === "public")?.ip_address;
  console.log(`${droplet.status} at ${address ?? "no address"} in ${seconds(since)}`);
}

async function mainJob(client: DigitalOceanClient, pollIntervalInMs: number): Promise<void> {
  const { ssh_key: key } = await client.sshKeys.create({ name: "tsdo-demo", public_key: newPublicKey() });
  say("1. SSH key", `created "${key!.name}" (id ${key!.id}, fingerprint ${key!.fingerprint})`);
  let dropletId: number | undefined;
  let fleetCreated = false;
  try {
    const created = await client.droplets.create({ name: "tsdo-demo-1", ...dropletShape, ssh_keys: [key!.id!] });
    if (!("droplet" in created)) throw new Error("expected a single droplet");
    const droplet = created.droplet;
    dropletId = droplet.id;
    say("2. Droplet", `creating "${droplet.name}" (id ${droplet.id}) in ${dropletShape.region}: ${dropletShape.size}, ${dropletShape.image}`);
    await waitForDroplet(client, droplet.id, pollIntervalInMs);

    for (let first = 0; first < fleetSize; first += batchSize) {
      const names = Array.from({ length: Math.min(batchSize, fleetSize - first) }, (_, i) => `tsdo-demo-fleet-${first + i + 1}`);
      fleetCreated = true;
      await client.droplets.create({ names, ...dropletShape, tags: [fleetTag] });
    }
    say("3. Fleet", `created ${fleetSize} droplets tagged "${fleetTag}" (${batchSize} per request); they boot meanwhile`);

    const pageSizes: number[] = [];
    for await (const page of client.droplets.list({ per_page: 10 }).byPage()) pageSizes.push(page.droplets?.length ?? 0);
    const total = pageSizes.reduce((sum, size) => sum + size, 0);
    say("4. Listing", `10 per page: ${pageSizes.map((size, i) => `page ${i + 1} (${size})`).join(", ")} → ${total} droplets`);

    const { action: cycle } = await client.dropletActions.post(droplet.id, { type: "power_cycle" });
    say("5. Power cycle", `"${droplet.name}"`);
    await waitVisibly(client, cycle!.id!, pollIntervalInMs);

    let tagged = 0;
    for await (const member of client.droplets.list({ tag_name: fleetTag, per_page: 20 })) if (member.tags.includes(fleetTag)) tagged += 1;
    say("6. By tag", `${tagged} droplets tagged "${fleetTag}"`);

    const rateLimit = client.rateLimit;
    if (rateLimit) {
      say("7. Rate limit", `${rateLimit.remaining} of ${rateLimit.limit} requests left; the window resets at ${rateLimit.resetAt.toISOString().slice(11, 19)} UTC`);
    }
  } finally {
    // Whatever happened above, nothing the demo created is left behind (on a real account it is billed).
    if (fleetCreated) await client.droplets.destroyByTag({ tag_name: fleetTag });
    if (dropletId !== undefined) await client.droplets.destroy(dropletId);
    await client.sshKeys.delete(key!.id!);
  }
  const { meta } = await client.droplets.list({ tag_name: fleetTag });
  say("8. Cleanup", `deleted the fleet (by tag), "tsdo-demo-1" and the SSH key; ${meta.total} tagged droplets left`);
}

/** Read-only calls: safe against any real account. */
async function readOnly(client: DigitalOceanClient): Promise<void> {
  const { account } = await client.account.get();
  say("Account", `${account!.email} (${account!.status}), droplet limit ${account!.droplet_limit}`);
  const regions = await client.regions.list({ per_page: 200 });
  say("Regions", `${regions.meta.total} (${regions.regions.filter((region) => region.available).map((region) => region.slug).join(", ")})`);
  const sizes = await client.sizes.list({ per_page: 200 });
  say("Sizes", `${sizes.meta.total}, from ${sizes.sizes[0]?.slug ?? "none"}`);
  const droplets = await client.droplets.list({ per_page: 5 });
  say("Droplets", `${droplets.meta.total}${droplets.droplets?.length ? `, e.g. ${droplets.droplets.map((each) => each.name).join(", ")}` : ""}`);
  const rateLimit = client.rateLimit;
  if (rateLimit) say("Rate limit", `${rateLimit.remaining} of ${rateLimit.limit} requests left`);
}

async function main(): Promise<void> {
  const token = process.env.DIGITALOCEAN_TOKEN?.trim();
  const create = process.argv.includes("--create");
  if (token) {
    const client = new DigitalOceanClient(token);
    if (create) {
      console.log("tsdo demo: the main job against the real DigitalOcean API (--create: this creates and deletes droplets)\n");
      await mainJob(client, 3000);
    } else {
      console.log("tsdo demo: read-only calls against the real DigitalOcean API (add --create to run the whole job)\n");
      await readOnly(client);
    }
  } else {
    let fake: FakeDigitalOcean | undefined;
    try {
      // Actions take 1.5 s here, to show waiting; tests use far less (the default is 200 ms).
      fake = await startFakeDigitalOcean({ actionDelayInMs: 1500 });
      console.log(`tsdo demo: no DIGITALOCEAN_TOKEN, so against an in-process fake of the API at ${fake.url}\n`);
      await mainJob(createTestClient(fake), 250);
    } finally {
      await fake?.close();
    }
  }
  console.log(`\ndone in ${seconds(startedAt)}`);
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
