// Bounding calls in time: a per-call timeout, and cancelling a whole batch of work with one signal.
import { AbortError, TimeoutError, type DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

export async function listWithin(client: DigitalOceanClient, timeoutInMs: number): Promise<number | "timed out"> {
  try {
    const page = await client.droplets.list({ per_page: 50 }, { timeoutInMs });
    return page.droplets?.length ?? 0;
  } catch (error) {
    if (error instanceof TimeoutError) return "timed out";
    throw error;
  }
}

/** Counts droplets page by page until `signal` fires; the page in flight is cancelled, not awaited. */
export async function countUntilAborted(client: DigitalOceanClient, signal: AbortSignal): Promise<number | "aborted"> {
  let count = 0;
  try {
    for await (const _droplet of client.droplets.list({ per_page: 1 }, { abortSignal: signal })) count += 1;
    return count;
  } catch (error) {
    if (error instanceof AbortError || (error instanceof Error && error.name === "AbortError")) return "aborted";
    throw error;
  }
}

runSample(
  module,
  async ({ client, log }) => {
    log(`listing within 5 s: ${await listWithin(client, 5000)}`);
    // One signal bounds a whole batch of work: here, every page of a listing within 10 s.
    log(`droplets counted within 10 s: ${await countUntilAborted(client, AbortSignal.timeout(10_000))}`);
    const aborted = new AbortController();
    aborted.abort();
    log(`with a signal that has already fired: ${await countUntilAborted(client, aborted.signal)}`);
  },
  { seed: { droplets: [{ name: "web-1", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }] } },
);
