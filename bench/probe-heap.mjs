// One fresh process (--expose-gc): 5,000 calls of one client at concurrency 16, then the heap
// after a full GC, next to the heap right after the client was made.
import { checkDroplets, clients } from "./clients.mjs";

const [name, origin] = process.argv.slice(2);
const call = await clients.find((c) => c.name === name).create(origin);
checkDroplets(name, await call());
globalThis.gc();
const before = process.memoryUsage().heapUsed;
let remaining = 5_000 - 1;
const worker = async () => {
  while (remaining-- > 0) if ((await call()).length !== 20) throw new Error(`${name}: a page without 20 droplets`);
};
await Promise.all(Array.from({ length: 16 }, worker));
globalThis.gc();
globalThis.gc();
console.log(JSON.stringify({ calls: 5_000, heapBefore: before, heapAfter: process.memoryUsage().heapUsed }));
