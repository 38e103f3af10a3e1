// One fresh process (--expose-gc): tsdo's auto-pagination through the fixture's 10,000 droplets,
// 200 a page. Pass 1 is timed; pass 2 takes a full GC after every page and records the heap, which
// minus the heap once the walk is over is what the walk holds, in pages of the size measured last.
import { peakRssKb } from "./peak-rss.cjs";

const [name, origin] = process.argv.slice(2);
const { DigitalOceanClient } = await import("../dist/esm/index.js");
const { UndiciHttpClient } = await import("../dist/esm/undici/index.js");
const options = { endpoint: origin, allowInsecureConnection: true };
if (name === "tsdo on undici") options.httpClient = new UndiciHttpClient();
const client = new DigitalOceanClient("dop_v1_bench", options);

async function walk(onPage) {
  let count = 0;
  const ids = new Set();
  for await (const droplet of client.droplets.list({ per_page: 200 })) {
    ids.add(droplet.id);
    if (++count % 200 === 0) onPage?.();
  }
  if (count !== 10_000 || ids.size !== 10_000) throw new Error(`${name}: paged ${count} droplets (${ids.size} distinct), expected 10,000`);
}

await walk(); // warm-up: every page body is built and cached by the server
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
const page = await client.droplets.list({ page: 2, per_page: 200 });
globalThis.gc();
const pageBytes = process.memoryUsage().heapUsed - bare;
if (page.droplets.length !== 200) throw new Error("a page without 200 droplets");
console.log(JSON.stringify({ ms, heapMax: Math.max(...heaps), heapAfterWalk: bare, pageBytes, maxRssKb: peakRssKb(), walks: 3, calls: 3 * 50 + 1 }));
