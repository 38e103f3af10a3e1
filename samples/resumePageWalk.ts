// A long listing job that survives a restart: after each page it stores the page's
// `continuationToken` (the URL of the next page), and a later run starts from the stored token
// instead of page 1. Every droplet is seen once, however often the job is stopped.
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

/** Where the job keeps its place: a file, a database row, a queue message… (here: any get/set pair). */
export interface Checkpoint {
  load(): string | undefined;
  save(token: string | undefined): void;
}

/**
 * Walks every droplet from where the last run stopped (or from page 1), `perPage` at a time, saving
 * the next page's token after each page. `stopAfterPages` plays a crash after that many pages.
 * Returns the names seen in this run and whether the walk reached the end.
 */
export async function walkDroplets(
  client: DigitalOceanClient,
  checkpoint: Checkpoint,
  perPage: number,
  stopAfterPages = Infinity,
): Promise<{ names: string[]; finished: boolean }> {
  const names: string[] = [];
  const continuationToken = checkpoint.load();
  let pages = 0;
  for await (const page of client.droplets.list().byPage({ maxPageSize: perPage, ...(continuationToken !== undefined && { continuationToken }) })) {
    for (const droplet of page.droplets) names.push(droplet.name);
    // Saved only once the page's work is done: a crash before this line redoes the page, never skips it.
    checkpoint.save(page.continuationToken);
    if (page.continuationToken === undefined) return { names, finished: true };
    if (++pages >= stopAfterPages) return { names, finished: false };
  }
  return { names, finished: true };
}

runSample(
  module,
  async ({ client, log }) => {
    let stored: string | undefined;
    const checkpoint: Checkpoint = { load: () => stored, save: (token) => (stored = token) };
    const first = await walkDroplets(client, checkpoint, 10, 2);
    log(`first run: ${first.names.length} droplets, then stopped; stored token ${stored ?? "(none)"}`);
    const second = await walkDroplets(client, checkpoint, 10);
    log(`second run: ${second.names.length} more droplets, finished: ${second.finished}`);
    log(`in all: ${first.names.length + second.names.length} droplets, ${new Set([...first.names, ...second.names]).size} distinct`);
  },
  { seed: { droplets: Array.from({ length: 35 }, (_, i) => ({ name: `worker-${i + 1}`, region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" })) } },
);
