// Measures client.withOptions(): microseconds per call (the best of 7 rounds, since the machine is shared).
// Usage: npm run build:test && node scripts/bench-with-options.cjs
const { DigitalOceanClient } = require("../build/src/index.js");

const client = new DigitalOceanClient("dop_v1_bench", { endpoint: "http://127.0.0.1:9" });
function measure(label, run, iterations = 10000) {
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run(i);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  console.log(`${label}: ${best.toFixed(2)} µs per call`);
}
measure("client.withOptions({ timeoutInMs })", (i) => client.withOptions({ timeoutInMs: 1000 + i }));
measure("client.withOptions({ retryOptions, headers }).droplets", (i) => client.withOptions({ retryOptions: { maxRetries: 0 }, headers: { "x-job": String(i) } }).droplets);
// Last: each full client makes its own agents, whose garbage would slow the measurements above.
measure("new DigitalOceanClient(token), for comparison", () => new DigitalOceanClient("dop_v1_bench", { endpoint: "http://127.0.0.1:9" }));
