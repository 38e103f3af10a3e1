// One fresh process (--expose-gc): tsdo's auto-pagination through the fixture's 10,000 droplets,
// 200 a page. A warm-up pass checks every droplet came once; pass 2 is timed; pass 3 takes a full
// GC at the last item of every page and records the heap, which minus the heap once the walk is
// over is what the walk holds then, in pages of the size measured last (three pages held at once,
// divided by three). The median is the steady state; the largest includes the JIT's own growth.
import { peakRssKb } from "./peak-rss.cjs";

const [name, origin] = process.argv.slice(2);
const { DigitalOceanClient } = await import("../dist/esm/index.js");
const { UndiciHttpClient } = await import("../dist/esm/undici/index.js");
const options = { endpoint: origin, allowInsecureConnection: true };
if (name === "tsdo on undici") options.httpClient = new UndiciHttpClient();
const client = new DigitalOceanClient("dop_v1_bench", options);

async function walk(onPage, ids) {
  let count = 0;
  for await (const droplet of client.droplets.list({ per_page: 200 })) {
    if (typeof droplet.name !== "string") throw new Error(`${name}: a droplet without a name`);
    ids?.add(droplet.id);
    if (++count % 200 === 0) onPage?.();
  }
  if (count !== 10_000 || (ids !== undefined && ids.size !== 10_000)) throw new Error(`${name}: paged ${count} droplets (${ids?.size} distinct), expected 10,000`);
}

await walk(undefined, new Set()); // warm-up (every page body is built and cached by the server), and every droplet came once
const started = performance.now();
await walk();
const ms = performance.now() - started;

const heaps = [];
await walk(() => {
  globalThis.gc();
  heaps.push(process.memoryUsage().heapUsed);
});
globalThis.gc();
const bare = process.memoryUsage().heapUsed;
const held3 = await Promise.all([2, 3, 4].map((page) => client.droplets.list({ page, per_page: 200 })));
globalThis.gc();
const pageBytes = (process.memoryUsage().heapUsed - bare) / 3;
if (held3.some((page) => page.droplets.length !== 200)) throw new Error("a page without 200 droplets");
const sorted = heaps.map((heap) => heap - bare).sort((a, b) => a - b);
console.log(JSON.stringify({ ms, heldMedian: sorted[sorted.length >> 1], heldMax: sorted.at(-1), pageBytes, maxRssKb: peakRssKb(), walks: 3, calls: 3 * 50 + 3 }));
