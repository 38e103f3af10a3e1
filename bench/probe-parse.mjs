// The cost every client pays whatever its HTTP stack: JSON.parse of the fixture page's text, in a
// fresh process, with the last 16 parsed pages held (as 16 calls in flight hold theirs).
import { dropletPage } from "./fixture.mjs";

const [origin, warmupMs, measureMs] = process.argv.slice(2);
const bytes = Buffer.from(dropletPage(origin, 1, 20, 20));
const held = new Array(16);
let parses = 0;

function parseFor(ms) {
  const until = performance.now() + ms;
  let count = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) held[(parses + count++) % 16] = JSON.parse(bytes.toString("utf8"));
  }
  parses += count;
  return count;
}

parseFor(Number(warmupMs));
const cpu = process.cpuUsage();
const count = parseFor(Number(measureMs));
const used = process.cpuUsage(cpu);
if (held[0].droplets.length !== 20) throw new Error("the fixture page did not parse to 20 droplets");
console.log(JSON.stringify({ calls: 0, parseUs: (used.user + used.system) / count }));
